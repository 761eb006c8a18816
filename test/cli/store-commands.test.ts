import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cliOnRedis, runWeft } from "../support/cli.js";

const root = resolve(import.meta.dirname, "../..");
const { ctx, weft, write } = cliOnRedis("cli");
const example = (name: string) => copyFileSync(join(root, "examples", name), join(ctx.dir, name));
const task = (name: string, word = "hi") =>
  `name: ${name}\nnodes:\n  - id: a\n    kind: task\n    handler: shell\n    with: { command: [echo, ${word}] }\n`;

describe("weft import", () => {
  it("saves every workflow of a file, then reports identical content as unchanged", async () => {
    example("daily-etl.yaml");
    const first = await weft("import", "daily-etl.yaml");
    expect(first.code).toBe(0);
    expect(first.stdout.split("\n")[0]).toMatch(/^WORKFLOW\s+VERSION\s+HASH\s+STATUS\s+FILE$/);
    expect(first.stdout).toMatch(/^daily-etl\s+v1\s+[0-9a-f]{12}\s+created\s+daily-etl\.yaml$/m);
    const again = await weft("import", "--format", "json", "daily-etl.yaml");
    expect(JSON.parse(again.stdout).map((r: { status: string }) => r.status)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
  });

  it("imports a file all or nothing: one bad workflow keeps the others out", async () => {
    write("mixed.yaml", `${task("good")}---\nname: bad\nnodes: [{ id: x, kind: nope }]\n`);
    const r = await weft("import", "mixed.yaml");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("mixed.yaml:9:24 error E_UNKNOWN_KIND");
    expect(r.stderr).toContain("nothing from this file was saved");
    expect((await weft("ls", "--format", "json")).stdout).toBe("[]\n");
  });

  it("needs called workflows to be in the file or already in the store", async () => {
    write(
      "parent.yaml",
      "name: parent\nnodes: [{ id: call, kind: subworkflow, workflow: child }]\n",
    );
    const refused = await weft("import", "parent.yaml");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /parent\.yaml:2:\d+ error E_SUBWORKFLOW_UNKNOWN workflow `child` is neither in this file nor in the store/,
    );
    write("child.yaml", task("child"));
    expect((await weft("import", "child.yaml")).code).toBe(0);
    expect((await weft("import", "parent.yaml")).code).toBe(0);
  });
});

describe("export", () => {
  it("writes the same content back: export -> import gives the same hash and no new version", async () => {
    example("daily-etl.yaml");
    await weft("import", "daily-etl.yaml");
    const before = (await weft("hash", "daily-etl.yaml")).stdout;
    const exported = await weft("export", "daily-etl", "--with-children", "-o", "etl.yaml");
    expect(exported.stderr).toBe(
      "wrote daily-etl@1, extract-module@1, join-module@1 to etl.yaml\n",
    );
    expect((await weft("hash", "etl.yaml")).stdout).toBe(before);
    const reimport = JSON.parse((await weft("import", "--format", "json", "etl.yaml")).stdout);
    expect(
      reimport.map((r: { version: number; status: string }) => `${r.version} ${r.status}`),
    ).toEqual(["1 unchanged", "1 unchanged", "1 unchanged"]);
  });

  it("exports exactly what fmt writes for the imported file", async () => {
    example("data-pipeline.yaml");
    await weft("import", "data-pipeline.yaml");
    expect((await weft("export", "data-pipeline")).stdout).toBe(
      (await weft("fmt", "data-pipeline.yaml")).stdout,
    );
  });

  it("exports a past version to standard output", async () => {
    write("w.yaml", task("w", "one"));
    await weft("import", "w.yaml");
    write("w.yaml", task("w", "two"));
    await weft("import", "w.yaml");
    expect((await weft("export", "w@1")).stdout).toContain(
      "command:\n        - echo\n        - one",
    );
  });
});

describe("reading and changing the store", () => {
  beforeEach(async () => {
    write("w.yaml", task("w", "one"));
    await weft("import", "w.yaml", "-m", "first");
    write("w.yaml", task("w", "two"));
    await weft("import", "w.yaml");
  });

  it("lists workflows and versions, as tables and as JSON", async () => {
    expect((await weft("ls")).stdout).toMatch(/^w\s+v2\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+ada$/m);
    const versions = JSON.parse((await weft("versions", "w", "--format", "json")).stdout);
    expect(
      versions.map((v: { version: number; parent: number; message: string }) => [
        v.version,
        v.parent,
        v.message,
      ]),
    ).toEqual([
      [1, 0, "first"],
      [2, 1, "imported from w.yaml"],
    ]);
  });

  it("shows a version as YAML or JSON", async () => {
    const yaml = (await weft("show", "w@1")).stdout;
    expect(yaml.split("\n")[0]).toMatch(/^# w v1 of 2 · sha256:[0-9a-f]{64} · .* by ada · first$/);
    const json = JSON.parse((await weft("show", "w", "--format", "json")).stdout);
    expect(json).toMatchObject({ name: "w", version: 2, current: 2, author: "ada" });
  });

  it("diffs two versions, exiting 1 when they differ and 0 when not", async () => {
    const r = await weft("diff", "w@1", "w@2");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("w@1 -> w@2\nnode a (task):\n  with.command.1  one  ->  two\n");
    expect(
      JSON.parse((await weft("diff", "--format", "json", "w@1", "w@2")).stdout).nodesChanged,
    ).toHaveLength(1);
    expect((await weft("diff", "w@2", "w")).code).toBe(0);
  });

  it("deletes a workflow but keeps its versions, and audits every change", async () => {
    expect((await weft("rm", "w")).stdout).toBe(
      "deleted w; its versions stay readable (w@1 to w@2)\n",
    );
    const shown = await weft("show", "w");
    expect(shown).toMatchObject({
      code: 1,
      stderr: "weft: workflow `w` was deleted; its versions are kept: read one as `w@2`\n",
    });
    expect((await weft("show", "w@1")).code).toBe(0);
    const audit = JSON.parse((await weft("audit", "--format", "json")).stdout);
    expect(
      audit.map(
        (e: { action: string; version: number; who: string }) =>
          `${e.action} v${e.version} ${e.who}`,
      ),
    ).toEqual(["import v1 ada", "import v2 ada", "delete v2 ada"]);
    expect(
      JSON.parse((await weft("audit", "--since", "1h", "--format", "json")).stdout),
    ).toHaveLength(3);
    expect((await weft("audit", "--since", "yesterday-ish")).code).toBe(2);
  });

  it("says clearly when a name or version does not exist", async () => {
    expect(await weft("show", "ww")).toMatchObject({
      code: 1,
      stderr: "weft: no workflow named `ww` (did you mean `w`?); `weft ls` lists them\n",
    });
    expect((await weft("show", "w@9")).stderr).toBe(
      "weft: workflow `w` has no version 9 (versions 1 to 2)\n",
    );
  });
});

describe("weft redis", () => {
  it("reports the server REDIS_URL points at, and will not stop it", async () => {
    const status = await weft("redis", "status");
    expect(status.stdout).toMatch(/^Redis at unix:\/\/.* \(REDIS_URL\)\n {2}version: 7\./);
    const stop = await weft("redis", "stop");
    expect(stop).toMatchObject({ code: 2 });
    expect(stop.stderr).toContain("weft does not manage that server");
  });

  it("fails with exit 2 and the URL when Redis is unreachable", async () => {
    ctx.env.REDIS_URL = "redis://:pw@127.0.0.1:1";
    const r = await weft("ls");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^weft: Redis unreachable at redis:\/\/:\*\*\*@127\.0\.0\.1:1: /);
  });
});

describe("the embedded Redis through the CLI", () => {
  it("starts one under WEFT_HOME, reuses it, and stops it on request", async () => {
    const home = mkdtempSync(join(tmpdir(), "wh-"));
    const own = { WEFT_HOME: home, WEFT_USER: "ada" };
    try {
      write("w.yaml", task("w"));
      expect((await runWeft(["import", "w.yaml"], { cwd: ctx.dir, env: own })).code).toBe(0);
      expect((await runWeft(["ls"], { cwd: ctx.dir, env: own })).stdout).toMatch(/^w\s+v1/m);
      expect((await runWeft(["redis", "status"], { cwd: ctx.dir, env: own })).stdout).toMatch(
        /^embedded Redis: running, pid \d+\n/,
      );
      expect((await runWeft(["redis", "path"], { cwd: ctx.dir, env: own })).stdout).toBe(
        `${join(home, "redis")}\n`,
      );
      expect((await runWeft(["redis", "stop"], { cwd: ctx.dir, env: own })).stdout).toBe(
        "stopped the embedded Redis (its data is kept)\n",
      );
      expect((await runWeft(["redis", "status"], { cwd: ctx.dir, env: own })).stdout).toMatch(
        /^embedded Redis: not running/,
      );
      expect((await runWeft(["ls"], { cwd: ctx.dir, env: own })).stdout).toMatch(/^w\s+v1/m);
    } finally {
      await runWeft(["redis", "stop"], { cwd: ctx.dir, env: own });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
