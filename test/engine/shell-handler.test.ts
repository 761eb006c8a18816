import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

const HOSTILE = "no such *";
let scratchCount = 0;

/** A directory with files a glob would find. */
function scratch(): string {
  const dir = join(server.dir, `scratch-${++scratchCount}`);
  mkdirSync(dir);
  for (const f of ["a.txt", "b.txt", "keep.me"]) writeFileSync(join(dir, f), f);
  return dir;
}

/** Runs one shell task with `with` and parameter x, returning its status, output and log. */
async function runShell(
  args: Record<string, unknown>,
  x: string = HOSTILE,
  limits: Record<string, number> = {},
) {
  const e = engineOn(server);
  await e.save({
    name: "sh",
    parameters: { x: { type: "string" } },
    limits,
    nodes: [{ id: "t", kind: "task", handler: "shell", with: args }],
  });
  const { id, record } = await e.runToEnd("sh", { x });
  const output = (await e.engine.runs.outputs(id)).t;
  const log = (await e.engine.events.log(id, "t")) ?? "";
  return { node: record!.nodes.t!, output, log, status: record!.fields.status };
}

describe("shell templating keeps values as data (problem 1)", () => {
  it("keeps a value inside the author's double quotes one word, unglobbed: rm deletes nothing", async () => {
    const dir = scratch();
    const r = await runShell({ shell: true, cwd: dir, command: 'rm -f "./${params.x}"' });
    expect(r.status).toBe("succeeded");
    expect(readdirSync(dir).sort()).toEqual(["a.txt", "b.txt", "keep.me"]);
  });

  it("prints one line for the value in double quotes, single quotes, bare and in a here-document", async () => {
    const dir = scratch();
    const cases = [
      'printf "[%s]\\n" "${params.x}"',
      "printf '[%s]\\n' '${params.x}'",
      'printf "[%s]\\n" ${params.x}',
      'printf "[%s]\\n" "a ${params.x} b"',
      "printf '[%s]\\n' 'a ${params.x} b'",
      'printf "[%s]\\n" "$(printf %s "${params.x}")"',
    ];
    for (const command of cases) {
      const r = await runShell({ shell: true, cwd: dir, command });
      expect(r.status, command).toBe("succeeded");
      expect(r.output, command).toBe(
        command.includes("a ${") ? `[a ${HOSTILE} b]` : `[${HOSTILE}]`,
      );
    }
    const heredoc = await runShell({
      shell: true,
      cwd: dir,
      script: "cat <<EOF\n[${params.x}]\nEOF\n",
    });
    expect(heredoc.output).toBe(`[${HOSTILE}]`);
  });

  it("never runs a value: command substitution, quotes and semicolons stay text", async () => {
    const dir = scratch();
    const evil = `"; touch pwned1; echo ' $(touch pwned2) \`touch pwned3\``;
    for (const command of ['echo "${params.x}"', "echo '${params.x}'", "echo ${params.x}"]) {
      const r = await runShell({ shell: true, cwd: dir, command }, evil);
      expect(r.output, command).toBe(evil);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith("pwned"))).toEqual([]);
  });

  it('runs the bundled Dagu example\'s pattern (echo "building ${VERSION}") with the value intact', async () => {
    const r = await runShell({ shell: true, command: 'echo "building ${params.x}"' }, "1.0 *");
    expect(r.output).toBe("building 1.0 *");
  });
});

describe("string commands split before values go in (problem 2)", () => {
  it("gives a value one argument, whatever it holds", async () => {
    const dir = scratch();
    const r = await runShell({ cwd: dir, command: 'printf "[%s]\\n" ${params.x}' });
    expect(r.output).toBe(`[${HOSTILE}]`);
    const quoted = await runShell({ cwd: dir, command: "printf '<%s>' 'two words' ${params.x}" });
    expect(quoted.output).toBe(`<two words><${HOSTILE}>`);
  });
});

describe("scripts given in argv form (problem 3)", () => {
  it("passes a value spliced into `sh -c` as a variable, not as code", async () => {
    const dir = scratch();
    const r = await runShell({ cwd: dir, command: ["sh", "-c", 'printf "[%s]\\n" ${params.x}'] });
    expect(r.output).toBe(`[${HOSTILE}]`);
    const s = await runShell(
      { cwd: dir, command: "sh -c 'echo ${params.x}; touch made'" },
      "$(touch pwned)",
    );
    expect(s.output).toBe("$(touch pwned)");
    expect(existsSync(join(dir, "pwned"))).toBe(false);
    expect(existsSync(join(dir, "made"))).toBe(true);
  });
});

describe("the interpreter (problem 4)", () => {
  it("runs `shell: bash` as bash -c, as Dagu writes it, and keeps flags", async () => {
    expect((await runShell({ shell: "bash", command: "echo hi from $0" })).output).toBe(
      "hi from bash",
    );
    const strict = await runShell({ shell: "bash -e", script: "false\necho not reached" });
    expect(strict.status).toBe("failed");
    expect((await runShell({ shell: "/bin/sh", command: "echo ${params.x}" })).output).toBe(
      HOSTILE,
    );
    expect((await runShell({ script: "echo script alone" })).output).toBe("script alone");
  });
});

describe("each attempt's working directory and environment", () => {
  it("runs in a fresh temporary directory, removed afterwards, unless cwd is given", async () => {
    const r = await runShell({ command: "pwd" });
    const dir = String(r.output);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(dir).not.toBe(process.cwd());
    expect(existsSync(dir)).toBe(false);
    const given = scratch();
    expect((await runShell({ command: "pwd", cwd: given })).output).toBe(given);
  });

  it("passes only the allow-listed environment: never the worker's REDIS_URL or secrets", async () => {
    process.env.REDIS_URL = "redis://:hunter2@example:6379";
    process.env.WEFT_TEST_SECRET = "s3cr3t";
    try {
      const r = await runShell({ command: "env" });
      expect(String(r.output)).not.toContain("hunter2");
      expect(String(r.output)).not.toContain("s3cr3t");
      const listed = await runShell({
        command: "printenv WEFT_TEST_SECRET",
        inheritEnv: ["WEFT_TEST_SECRET"],
      });
      expect(listed.output).toBe("s3cr3t");
    } finally {
      delete process.env.REDIS_URL;
      delete process.env.WEFT_TEST_SECRET;
    }
  });
});

describe("output caps are visible (problem 6)", () => {
  it("marks a node whose stdout was cut, says so in its log, and keeps stderr apart", async () => {
    const r = await runShell(
      { shell: true, command: "echo oops >&2; head -c 5000 /dev/zero | tr '\\0' a" },
      "",
      { maxStdout: 1000 },
    );
    expect(r.status).toBe("succeeded");
    expect(String(r.output)).toBe("a".repeat(1000));
    expect(r.node.note).toContain("stdout cut at 1000 bytes (limits.maxStdout)");
    expect(r.log).toContain("oops");
    expect(r.log).toContain("[weft] stdout cut at 1000 bytes");
  });

  it("caps stderr on its own: stdout written after a flood of stderr is kept whole", async () => {
    const r = await runShell(
      { shell: true, command: "head -c 5000 /dev/zero | tr '\\0' e >&2; sleep 0.1; echo done" },
      "",
      { maxStderr: 100 },
    );
    expect(r.output).toBe("done");
    expect(r.node.note).toContain("stderr cut at 100 bytes");
    expect(r.log).toContain("done");
    expect(r.log).not.toContain("e".repeat(101));
  });

  it("leaves a node that stayed under its caps unmarked", async () => {
    const r = await runShell({ command: "echo small" });
    expect(r.node.note).toBeUndefined();
  });
});

describe("output of exactly the cap", () => {
  it("is whole, not marked truncated", async () => {
    const r = await runShell({ shell: true, command: "printf '%s' 0123456789" }, "", {
      maxStdout: 10,
    });
    expect(r.output).toBe("0123456789");
    expect(r.node.note).toBeUndefined();
  });
});

describe("the workflow's environment (issue 14: Dagu's DAG-level env)", () => {
  it("reaches every shell task, under the task's own env", async () => {
    const e = engineOn(server);
    await e.save({
      name: "envy",
      parameters: { who: { type: "string", default: "ada" } },
      defaults: { env: { STAGE: "production", GREETING: "hello ${params.who}" } },
      nodes: [
        {
          id: "shared",
          kind: "task",
          handler: "shell",
          with: { shell: true, command: 'echo "$STAGE $GREETING"' },
        },
        {
          id: "own",
          kind: "task",
          handler: "shell",
          with: { shell: true, command: 'echo "$STAGE"', env: { STAGE: "dev" } },
        },
      ],
    });
    const { id } = await e.runToEnd("envy");
    const outputs = await e.engine.runs.outputs(id);
    expect(outputs.shared).toBe("production hello ada");
    expect(outputs.own).toBe("dev");
  });
});
