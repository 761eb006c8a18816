/**
 * The run semantics Dagu files rely on, with workflows this project writes: named outputs read
 * by name, a child's named outputs, `stdout:` files, runs that went on past failures, and
 * workflows with nothing to run.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateWorkflow, WorkflowSchema } from "../../src/spec/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-dagu-sem-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const echo = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "task",
  handler: "shell",
  with: { command: ["sh", "-c", 'printf "%s" "$1"', "x", text] },
  ...extra,
});

describe("named outputs", () => {
  it("reads `output: NAME` as ${NAME} as well as under the node id", async () => {
    const e = engineOn(server);
    await e.save({
      name: "named",
      nodes: [
        echo("greet", "hello", { output: "GREETING" }),
        echo("shout", "${GREETING} / ${nodes.greet.output}"),
      ],
      edges: [{ from: "greet", to: "shout" }],
    });
    const { id, record } = await e.runToEnd("named");
    expect(record.fields.status).toBe("succeeded");
    expect((await e.engine.runs.outputs(id)).shout).toBe("hello / hello");
  });

  it("refuses a name read before its node runs, as it refuses nodes.<id>", () => {
    const wf = WorkflowSchema.parse({
      name: "early",
      nodes: [echo("greet", "hello", { output: "GREETING" }), echo("first", "${GREETING}")],
      edges: [{ from: "first", to: "greet" }],
    });
    const codes = validateWorkflow(wf).map((f) => f.code);
    expect(codes).toContain("E_NOT_UPSTREAM");
  });

  it("gives a parent its child's named outputs under `outputs`", async () => {
    const e = engineOn(server);
    await e.save({
      name: "child",
      nodes: [echo("greet", "hi there", { output: "GREETING" })],
    });
    await e.save({
      name: "parent",
      nodes: [
        { id: "call", kind: "subworkflow", workflow: "child" },
        echo("use", "${nodes.call.output.outputs.GREETING} = ${nodes.call.output.greet}"),
      ],
      edges: [{ from: "call", to: "use" }],
    });
    const { id, record } = await e.runToEnd("parent");
    expect(record.fields.status, record.fields.reason).toBe("succeeded");
    expect((await e.engine.runs.outputs(id)).use).toBe("hi there = hi there");
  });
});

describe("stdout and stderr files", () => {
  it("writes the whole stream to the file named, relative to cwd, with the task's env in the path", async () => {
    const e = engineOn(server);
    await e.save({
      name: "files",
      defaults: { env: { STAMP: "v1" } },
      nodes: [
        {
          id: "write",
          kind: "task",
          handler: "shell",
          with: {
            command: ["sh", "-c", "echo out-line; echo err-line >&2"],
            cwd: dir,
            stdout: "out-$${STAMP}.txt",
            stderr: "$STAMP.err",
          },
        },
        {
          id: "read",
          kind: "task",
          handler: "shell",
          with: { command: ["cat", "out-v1.txt"], cwd: dir },
        },
      ],
      edges: [{ from: "write", to: "read" }],
    });
    const { id, record } = await e.runToEnd("files");
    expect(record.fields.status, record.fields.reason).toBe("succeeded");
    expect(readFileSync(join(dir, "out-v1.txt"), "utf8")).toBe("out-line\n");
    expect(readFileSync(join(dir, "v1.err"), "utf8")).toBe("err-line\n");
    expect((await e.engine.runs.outputs(id)).read).toBe("out-line");
  });

  it("fails the node, saying where, when the file cannot be written", async () => {
    const e = engineOn(server);
    await e.save({
      name: "nowhere",
      nodes: [
        {
          id: "write",
          kind: "task",
          handler: "shell",
          with: { command: ["true"], stdout: join(dir, "no-such-dir", "x.txt") },
        },
      ],
    });
    const { record } = await e.runToEnd("nowhere");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.write!.error).toContain(
      `cannot write stdout to ${join(dir, "no-such-dir")}`,
    );
  });
});

describe("runs that went on past failures", () => {
  it("ends partially_succeeded, not succeeded, when a node failed and the run went on", async () => {
    const e = engineOn(server);
    await e.save({
      name: "partial",
      nodes: [
        { id: "flaky", kind: "task", handler: "fail", continueOnFailure: true },
        echo("after", "still ran"),
      ],
      edges: [{ from: "flaky", to: "after" }],
    });
    const { record } = await e.runToEnd("partial");
    expect(record.fields.status).toBe("partially_succeeded");
    expect(record.fields.reason).toBe("1 node(s) failed and the run went on past them");
    expect(record.nodes.after!.status).toBe("succeeded");
  });
});

describe("continueOn: the failures a run goes on past", () => {
  /** A shell task that counts its attempts in a file, prints `text` and exits with `code`. */
  const onExit = (id: string, code: number, text: string, extra = {}) => {
    const file = join(dir, `${id}-${Math.random().toString(36).slice(2)}`);
    const script = 'echo attempt >> "$1"; printf "%s\\n" "$2"; exit "$3"';
    const node = {
      id,
      kind: "task",
      handler: "shell",
      with: { command: ["sh", "-c", script, "x", file, text, String(code)] },
      ...extra,
    };
    return { node, attempts: () => readFileSync(file, "utf8").split("\n").length - 1 };
  };
  const graph = (first: object) => ({
    nodes: [first, echo("after", "went on")],
    edges: [{ from: (first as { id: string }).id, to: "after" }],
  });

  it("goes on past an exit code it lists, after the retries, and ends partially_succeeded", async () => {
    const e = engineOn(server);
    const flaky = onExit("flaky", 3, "half done", {
      retries: { max: 2, initial: "10ms" },
      continueOn: { codes: [3] },
    });
    await e.save({ name: "codes", ...graph(flaky.node) });
    const { record } = await e.runToEnd("codes");
    expect(record.fields.status).toBe("partially_succeeded");
    expect(record.nodes.flaky).toMatchObject({ status: "failed", attempt: 3 });
    expect(record.nodes.after!.status).toBe("succeeded");
    expect(flaky.attempts()).toBe(3);
  });

  it("fails the run on an exit code it does not list", async () => {
    const e = engineOn(server);
    const flaky = onExit("flaky", 4, "broken", { continueOn: { codes: [3], output: ["fine"] } });
    await e.save({ name: "other-code", ...graph(flaky.node) });
    const { record } = await e.runToEnd("other-code");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.after?.status).not.toBe("succeeded");
  });

  it("goes on when a line of stdout matches a text or a `re:` pattern", async () => {
    const e = engineOn(server);
    const texts = onExit("texts", 1, "WARN: disk 91% full", { continueOn: { output: ["WARN:"] } });
    const regex = onExit("regex", 1, "copied 17 of 20", {
      continueOn: { output: ["re:(?i)^COPIED \\d+ of \\d+$"] },
    });
    await e.save({
      name: "patterns",
      nodes: [texts.node, regex.node, echo("after", "went on")],
      edges: [
        { from: "texts", to: "after" },
        { from: "regex", to: "after" },
      ],
    });
    const { record } = await e.runToEnd("patterns");
    expect(record.fields.status, record.fields.reason).toBe("partially_succeeded");
    expect(record.nodes.after!.status).toBe("succeeded");
  });

  it("with markSuccess counts the failure a success: its stdout is the output, a note says why", async () => {
    const e = engineOn(server);
    const lenient = onExit("lenient", 2, '{"copied": 17}', {
      continueOn: { codes: [2], markSuccess: true },
    });
    await e.save({
      name: "marked",
      nodes: [lenient.node, echo("after", "${nodes.lenient.output.copied} copied")],
      edges: [{ from: "lenient", to: "after" }],
    });
    const { id, record } = await e.runToEnd("marked");
    expect(record.fields.status, record.fields.reason).toBe("succeeded");
    expect(record.nodes.lenient).toMatchObject({
      status: "succeeded",
      note: "exited with code 2: marked succeeded (continueOn.markSuccess)",
    });
    expect((await e.engine.runs.outputs(id)).after).toBe("17 copied");
  });

  it("lets a map go on past an item's failure by the same rule", async () => {
    const e = engineOn(server);
    await e.save({
      name: "mapped",
      parameters: { codes: { type: "array", default: [0, 3, 0] } },
      nodes: [
        {
          id: "each",
          kind: "task",
          handler: "shell",
          map: { over: "params.codes", concurrency: 3 },
          with: { command: ["sh", "-c", 'exit "$1"', "x", "${string(item)}"] },
          continueOn: { codes: [3] },
        },
        echo("after", "went on"),
      ],
      edges: [{ from: "each", to: "after" }],
    });
    const { record } = await e.runToEnd("mapped");
    expect(record.fields.status, record.fields.reason).toBe("partially_succeeded");
    expect(record.nodes.each!.status).toBe("failed");
    expect(record.nodes.after!.status).toBe("succeeded");
  });

  it("validates the patterns and says which lists can never apply", () => {
    const wf = WorkflowSchema.parse({
      name: "checked",
      nodes: [
        { ...echo("bad", "x"), continueOn: { output: ["re:[a-"] } },
        {
          id: "web",
          kind: "task",
          handler: "http",
          with: { url: "http://x" },
          continueOn: { output: ["ok"] },
        },
        { ...echo("both", "x"), continueOnFailure: true, continueOn: { codes: [1] } },
        { ...echo("idle", "x"), continueOn: { markSuccess: true } },
      ],
    });
    const found = validateWorkflow(wf)
      .filter((f) => f.path.includes("continueOn"))
      .map((f) => [f.code, f.nodeId]);
    expect(found).toEqual([
      ["E_PATTERN", "bad"],
      ["W_CONTINUE_OUTPUT", "web"],
      ["W_CONTINUE_REDUNDANT", "both"],
      ["W_MARK_SUCCESS", "idle"],
    ]);
  });
});

describe("a workflow with no nodes", () => {
  it("is kept, and a run of it is refused: there is nothing to run", async () => {
    const e = engineOn(server);
    await e.save({ name: "empty", nodes: [] });
    await expect(e.engine.startRun("empty", {})).rejects.toThrow(
      "empty@1 has no nodes: there is nothing to run",
    );
  });
});

describe("validating a child's named outputs", () => {
  it("warns at the reading node when the child gives no output of that name", () => {
    const child = WorkflowSchema.parse({
      name: "kid",
      nodes: [echo("greet", "hi", { output: "GREETING" })],
    });
    const parent = WorkflowSchema.parse({
      name: "mum",
      nodes: [
        { id: "call-kid", kind: "subworkflow", workflow: "kid" },
        echo("good", '${nodes["call-kid"].output.outputs.GREETING}'),
        echo("bad", '${nodes["call-kid"].output.outputs.GRETING}'),
      ],
      edges: [
        { from: "call-kid", to: "good" },
        { from: "call-kid", to: "bad" },
      ],
    });
    const found = validateWorkflow(parent, { siblings: new Map([["kid", child]]) }).filter(
      (f) => f.code === "W_CHILD_OUTPUT",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ nodeId: "bad", hint: "its named outputs: GREETING" });
    expect(found[0]!.message).toContain("reads `GRETING` from the outputs of `call-kid`");
  });
});
