/**
 * Files given to weft are regular files of a bounded size: a FIFO, a device or a directory is
 * refused at once (no hang), a file over the limit before it is read; a bad params file says
 * file:line:col and exits 2; reserved parameter names are refused.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LARGEST_MAX_BYTES } from "../../src/config/input-file.js";
import { READ_LIMITS } from "../../src/spec/index.js";
import { cliOnRedis } from "../support/cli.js";

const { ctx, weft, write } = cliOnRedis("inputs");

const flow = [
  "name: flow",
  "parameters:",
  "  env: { type: string, default: dev }",
  "nodes:",
  "  - { id: say, kind: task, handler: shell, with: { command: [echo, '${params.env}'] } }",
  "edges: []",
  "",
].join("\n");

let writers: ChildProcess[] = [];
afterEach(() => {
  for (const w of writers) w.kill("SIGKILL");
  writers = [];
});

/**
 * A FIFO with a writer that shows up after a while: code that blocks opening or reading it
 * still finishes (and fails the test) instead of hanging.
 */
function fifo(name: string): string {
  const path = join(ctx.dir, name);
  execFileSync("mkfifo", [path]);
  writers.push(spawn("sh", ["-c", `sleep 2; echo 'name: x' > '${path}'`], { stdio: "ignore" }));
  return path;
}

describe("files that are not regular files", () => {
  it("refuses a FIFO given to validate at once", async () => {
    fifo("pipe.yaml");
    const started = Date.now();
    const r = await weft("validate", "pipe.yaml");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("weft: pipe.yaml: is a FIFO, not a regular file\n");
  });

  it("refuses a device given to hash", async () => {
    const r = await weft("hash", "/dev/zero");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("weft: /dev/zero: is a character device, not a regular file\n");
  });

  it("refuses a FIFO or a directory as --params-file", async () => {
    write("flow.yaml", flow);
    expect((await weft("import", "flow.yaml")).code).toBe(0);
    fifo("params.yaml");
    const piped = await weft("run", "flow", "--params-file", "params.yaml");
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe("weft: params.yaml: is a FIFO, not a regular file\n");
    mkdirSync(join(ctx.dir, "params.d"));
    const dir = await weft("run", "flow", "--params-file", "params.d");
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe("weft: params.d: is a directory, not a regular file\n");
  });

  it("refuses a FIFO given to fmt", async () => {
    fifo("pipe.yaml");
    const r = await weft("fmt", "pipe.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("weft: pipe.yaml: is a FIFO, not a regular file\n");
  });
});

describe("the size limit", () => {
  it("refuses a file over 8 MiB before reading it", async () => {
    write("big.yaml", `# ${"x".repeat(9437184 - 3)}\n`);
    const r = await weft("validate", "big.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "weft: big.yaml: 9437184 bytes, more than the 8 MiB limit (--max-bytes)\n",
    );
  });

  it("takes another limit from --max-bytes", async () => {
    write("flow.yaml", flow);
    const small = await weft("validate", "--max-bytes", "100", "flow.yaml");
    expect(small.code).toBe(2);
    expect(small.stderr).toBe(
      `weft: flow.yaml: ${flow.length} bytes, more than the 100-byte limit (--max-bytes)\n`,
    );
    expect((await weft("validate", "--max-bytes", "1000", "flow.yaml")).code).toBe(0);
    expect((await weft("hash", "--max-bytes", "100", "flow.yaml")).code).toBe(2);
    expect((await weft("import", "--max-bytes", "100", "flow.yaml")).code).toBe(2);
  });

  it("applies --max-bytes to a params file", async () => {
    write("flow.yaml", flow);
    expect((await weft("import", "flow.yaml")).code).toBe(0);
    write("params.yaml", `env: ${"x".repeat(200)}\n`);
    const r = await weft("run", "flow", "--params-file", "params.yaml", "--max-bytes", "64");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^weft: params\.yaml: 206 bytes, more than the 64-byte limit/);
  });

  it("allows a --max-bytes up to the YAML reader's own limit, no further", async () => {
    expect(LARGEST_MAX_BYTES).toBe(READ_LIMITS.fileBytes);
    write("flow.yaml", flow);
    const r = await weft("validate", "--max-bytes", String(LARGEST_MAX_BYTES + 1), "flow.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-bytes/);
  });

  it("refuses a --max-bytes that is not a positive whole number", async () => {
    write("flow.yaml", flow);
    const r = await weft("validate", "--max-bytes", "lots", "flow.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-bytes/);
  });
});

describe("a bad params file", () => {
  it("says file:line:col and exits 2, with no stack trace", async () => {
    write("flow.yaml", flow);
    expect((await weft("import", "flow.yaml")).code).toBe(0);
    write("params.yaml", "env: [unclosed\n");
    const yaml = await weft("run", "flow", "--params-file", "params.yaml");
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/^weft: params\.yaml:\d+:\d+: [^\n]+\n$/);
    write("params.json", '{"env": "prod",}');
    const json = await weft("run", "flow", "--params-file", "params.json");
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^weft: params\.json:1:\d+: [^\n]+\n$/);
    write("list.yaml", "- env\n");
    const list = await weft("run", "flow", "--params-file", "list.yaml");
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/^weft: list\.yaml:1:1: .*mapping/);
  });

  it("refuses reserved names in a params file and in -p", async () => {
    write("flow.yaml", flow);
    expect((await weft("import", "flow.yaml")).code).toBe(0);
    write("params.yaml", "env: prod\nconstructor: 1\n");
    const file = await weft("run", "flow", "--params-file", "params.yaml");
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/^weft: params\.yaml:2:1: .*constructor.*reserved/);
    const assigned = await weft("run", "flow", "-p", "__proto__=1");
    expect(assigned.code).not.toBe(0);
    expect(assigned.stderr).toMatch(/__proto__.*reserved/);
  });
});

describe("control characters in what weft echoes", () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

  it("escapes them in findings and the summary of validate", async () => {
    write(
      "bad.yaml",
      'name: "bad\\e[2Jname"\nnodes:\n  - { id: "x\\u009by", kind: task, handler: noop }\n',
    );
    const r = await weft("validate", "bad.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bad\\x1b[2Jname");
    expect(r.stdout).toContain("x\\x9by");
    expect(CONTROL.test(r.stdout)).toBe(false);
  });

  it("escapes them in a one-line error", async () => {
    const r = await weft("show", "no\u001b[2Jsuch\nname");
    expect(r.code).not.toBe(0);
    expect(CONTROL.test(r.stderr)).toBe(false);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    const file = await weft("validate", "missing\u001b[31m.yaml");
    expect(file.stderr).toBe("weft: missing\\x1b[31m.yaml: no such file or directory\n");
  });
});

describe("a `constructor` key in a parameter's value at run time", () => {
  it("still lets ${params.*} read the value", async () => {
    write(
      "ctor.yaml",
      [
        "name: ctor",
        "parameters:",
        "  labels: { type: object, default: { constructor: x, team: ops } }",
        "nodes:",
        "  - { id: say, kind: task, handler: shell, with: { command: [echo, '${params.labels.team}'] } }",
        "  - id: check",
        "    kind: decision",
        "    condition: params.labels.constructor == 'x'",
        "  - { id: yes, kind: task, handler: noop }",
        "edges:",
        "  - { from: say, to: check }",
        "  - { from: check, to: yes, condition: true }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "ctor.yaml")).code).toBe(0);
    const r = await weft("run", "ctor", "--wait");
    expect(r.stdout).toMatch(/ yes {2}succeeded\n/);
    expect(r.code).toBe(0);
  });
});
