import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runWeft } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "weft-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const weft = (...argv: string[]) => runWeft(argv, { cwd: dir });

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const good = "name: good\nnodes:\n  - id: a\n    kind: task\n    handler: noop\nedges: []\n";

describe("weft validate", () => {
  it("exits 0 on a clean file and prints a summary", async () => {
    write("good.yaml", good);
    const r = await weft("validate", "good.yaml");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("ok good.yaml › good (1 node, 0 edges)\n1 file: 0 errors, 0 warnings\n");
  });

  it("exits 1 on errors, printing file:line:col severity code message and a hint", async () => {
    write("bad.yaml", "name: bad\nnodes:\n  - { id: a, kind: task, handler: noop, timeot: 5s }\n");
    const r = await weft("validate", "bad.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "bad.yaml:3:41 error E_UNKNOWN_KEY unknown key `timeot` in this node [workflow bad, node a]",
      "    hint: did you mean `timeout`?",
    ]);
  });

  it("exits 0 with warnings only", async () => {
    write("warn.yaml", "name: w\nnodes: [{ id: call, kind: subworkflow, workflow: elsewhere }]\n");
    const r = await weft("validate", "warn.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning W_SUBWORKFLOW_UNKNOWN");
  });

  it("exits 2 when a file cannot be read", async () => {
    const r = await weft("validate", "missing.yaml");
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toBe("weft: missing.yaml: no such file or directory\n");
  });

  it("prints JSON for scripts", async () => {
    write("bad.yaml", "name: bad\nnodes:\n  - { id: a, kind: nope }\n");
    const r = await weft("validate", "--format", "json", "bad.yaml");
    const json = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    expect(json).toMatchObject({
      errors: 1,
      warnings: 0,
      files: [{ file: "bad.yaml", findings: [{ line: 3, severity: "error" }] }],
    });
    // No nodes at all is kept, with a warning: there is nothing to run.
    write("empty.yaml", "name: empty\nnodes: []\n");
    const empty = JSON.parse((await weft("validate", "--format", "json", "empty.yaml")).stdout);
    expect(empty).toMatchObject({
      errors: 0,
      warnings: 1,
      files: [{ findings: [{ code: "W_NO_NODES", line: 2, col: 8 }] }],
    });
  });

  it("validates every YAML file below a directory", async () => {
    write("one.yaml", good);
    write("two.yml", good.replace("good", "other"));
    write("notes.txt", "not a workflow");
    const r = await weft("validate", ".");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2 files: 0 errors, 0 warnings");
  });
});

describe("weft fmt", () => {
  it("prints the native format with stable key order", async () => {
    write(
      "messy.yaml",
      "edges: []\nnodes:\n  - { handler: noop, kind: task, id: a, priority: 0 }\nname: messy\n",
    );
    const r = await weft("fmt", "messy.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "name: messy\nnodes:\n  - id: a\n    kind: task\n    handler: noop\nedges: []\n",
    );
  });

  it("--check exits 1 when a file is not formatted and 0 once it is", async () => {
    write("messy.yaml", "edges: []\nnodes: [{ handler: noop, kind: task, id: a }]\nname: messy\n");
    expect((await weft("fmt", "--check", "messy.yaml")).code).toBe(1);
    expect(await weft("fmt", "--write", "messy.yaml")).toMatchObject({
      code: 0,
      stdout: "messy.yaml: formatted\n",
    });
    expect((await weft("fmt", "--check", "messy.yaml")).code).toBe(0);
  });

  it("converts Dagu shorthand only when asked, with the same hash before and after", async () => {
    write("dagu.yaml", "name: d\ntype: graph\nsteps:\n  - name: Say Hi\n    command: echo hi\n");
    const refused = await weft("fmt", "dagu.yaml");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("weft fmt --to native dagu.yaml");
    const before = (await weft("hash", "dagu.yaml")).stdout;
    expect((await weft("fmt", "--write", "--to", "native", "dagu.yaml")).code).toBe(0);
    expect(readFileSync(join(dir, "dagu.yaml"), "utf8")).toContain("kind: task");
    expect((await weft("hash", "dagu.yaml")).stdout).toBe(before);
  });

  it("never drops comments without --force", async () => {
    const text = "# keep me\nedges: []\nnodes: [{ handler: noop, kind: task, id: a }]\nname: c\n";
    write("commented.yaml", text);
    const r = await weft("fmt", "--write", "commented.yaml");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has comments");
    expect(readFileSync(join(dir, "commented.yaml"), "utf8")).toBe(text);
    expect((await weft("fmt", "--write", "--force", "commented.yaml")).code).toBe(0);
  });

  it("refuses to format a file with errors", async () => {
    write("bad.yaml", "name: bad\nnodes: [{ id: a, kind: nope }]\n");
    const r = await weft("fmt", "--write", "bad.yaml");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("E_UNKNOWN_KIND");
    expect(readFileSync(join(dir, "bad.yaml"), "utf8")).toBe(
      "name: bad\nnodes: [{ id: a, kind: nope }]\n",
    );
  });
});

describe("weft hash", () => {
  it("prints each workflow's name and hash; formatting does not change it", async () => {
    copyFileSync(join(root, "examples/daily-etl.yaml"), join(dir, "etl.yaml"));
    const r = await weft("hash", "etl.yaml");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      "daily-etl",
      "extract-module",
      "join-module",
    ]);
    for (const l of lines) expect(l).toMatch(/ [0-9a-f]{64}$/);
    await weft("fmt", "--write", "--force", "etl.yaml");
    expect((await weft("hash", "etl.yaml")).stdout).toBe(r.stdout);
  });
});

describe("help", () => {
  it("lists every command with an example, and each command has its own help", async () => {
    const r = await weft("--help");
    expect(r.code).toBe(0);
    for (const cmd of ["validate", "fmt", "hash"]) {
      expect(r.stdout).toContain(`  ${cmd} `);
      const own = await weft(cmd, "--help");
      expect(own.code).toBe(0);
      expect(own.stdout).toMatch(/Example/);
    }
  });

  it("exits 2 on an unknown command, with a suggestion", async () => {
    const r = await weft("valdate", "x.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean validate?");
  });
});

describe("the real binary", () => {
  it("validates the bundled examples", () => {
    const r = spawnSync(process.execPath, [join(root, "bin/weft.js"), "validate", "examples"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/4 files: 0 errors, 0 warnings\n$/);
  });
});
