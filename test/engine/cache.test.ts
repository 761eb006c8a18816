import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-cache-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const newFile = () => join(dir, `ran-${++files}.txt`);
const runs = (file: string) =>
  existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").length : 0;

/** A task that appends a line to `params.file` each time its handler runs, and prints `params.x`. */
const costly = (
  id: string,
  cache: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  id,
  kind: "task",
  handler: "shell",
  with: {
    command: [
      "sh",
      "-c",
      'echo ran >> "$1"; sleep "$3"; printf "%s" "$2"',
      "x",
      "${params.file}",
      "${params.x}",
      "${string(params.pause)}",
    ],
  },
  cache,
  ...extra,
});

const workflow = (name: string, cache: Record<string, unknown>) => ({
  name,
  parameters: {
    file: { type: "string", required: true },
    x: { type: "string", default: "a" },
    pause: { type: "number", default: 0 },
  },
  nodes: [costly("work", cache)],
});

describe("cache", () => {
  it("serves a second run from the cache: the shell handler does not run, the output is the same", async () => {
    const e = engineOn(server);
    await e.save(workflow("global", { scope: "global" }));
    const file = newFile();
    const first = await e.runToEnd("global", { file, x: "hello" });
    const second = await e.runToEnd("global", { file, x: "hello" });
    expect(runs(file)).toBe(1);
    expect(second.record.fields.status).toBe("succeeded");
    expect(await e.engine.runs.outputs(second.id)).toEqual(await e.engine.runs.outputs(first.id));
    expect(first.record.nodes.work!.cached).toBeUndefined();
    expect(second.record.nodes.work!.cached).toBe(true);
    // Other values are another key: the handler runs.
    await e.runToEnd("global", { file, x: "other" });
    expect(runs(file)).toBe(2);
  });

  it("keeps `scope: run` within one run, so the next run computes again", async () => {
    const e = engineOn(server);
    await e.save(workflow("per-run", { scope: "run" }));
    const file = newFile();
    await e.runToEnd("per-run", { file });
    await e.runToEnd("per-run", { file });
    expect(runs(file)).toBe(2);
  });

  it("lets an entry go after its ttl", async () => {
    const e = engineOn(server);
    await e.save(workflow("ttl", { scope: "global", ttl: "300ms" }));
    const file = newFile();
    await e.runToEnd("ttl", { file });
    await e.runToEnd("ttl", { file });
    expect(runs(file)).toBe(1);
    await sleep(400);
    await e.runToEnd("ttl", { file });
    expect(runs(file)).toBe(2);
  });

  it("never keeps a failure", async () => {
    const e = engineOn(server);
    const flag = join(dir, "fail-once");
    await e.save({
      name: "flaky",
      parameters: { file: { type: "string" }, flag: { type: "string" } },
      nodes: [
        {
          id: "work",
          kind: "task",
          handler: "shell",
          with: {
            command: [
              "sh",
              "-c",
              'echo ran >> "$1"; if [ ! -e "$2" ]; then touch "$2"; exit 3; fi; echo ok',
              "x",
              "${params.file}",
              "${params.flag}",
            ],
          },
          cache: { scope: "global" },
        },
      ],
    });
    const file = newFile();
    expect((await e.runToEnd("flaky", { file, flag })).record.fields.status).toBe("failed");
    expect((await e.runToEnd("flaky", { file, flag })).record.fields.status).toBe("succeeded");
    expect((await e.runToEnd("flaky", { file, flag })).record.nodes.work!.cached).toBe(true);
    expect(runs(file)).toBe(2);
  });

  it("runs the handler once for identical nodes running at once, in one worker and across two", async () => {
    const e = engineOn(server);
    await e.save({
      name: "twins",
      parameters: {
        file: { type: "string" },
        x: { type: "string", default: "same" },
        pause: { type: "number", default: 0.4 },
      },
      nodes: [
        { id: "start", kind: "task", handler: "noop" },
        costly("left", { scope: "global" }),
        costly("right", { scope: "global" }),
      ],
      edges: [
        { from: "start", to: "left" },
        { from: "start", to: "right" },
      ],
    });
    // One worker: the two nodes share one promise.
    const file = newFile();
    const one = await e.runToEnd("twins", { file });
    expect(one.record.fields.status).toBe("succeeded");
    expect(runs(file)).toBe(1);
    expect([one.record.nodes.left!.cached, one.record.nodes.right!.cached].sort()).toEqual([
      true,
      undefined,
    ]);

    // Two engines (two workers' caches): the Redis lock makes the second wait for the first.
    const other = new Engine({
      redis: server.redis,
      keys: e.keys,
      actor: { user: "ada", host: "other-box" },
    });
    const file2 = newFile();
    const ids = await Promise.all([
      e.engine.startRun("twins", { file: file2, x: "two" }),
      e.engine.startRun("twins", { file: file2, x: "two" }),
    ]);
    await Promise.all(
      ids.map((id, i) =>
        new Worker(i === 0 ? e.engine : other, server.client(), {
          onlyRun: id,
          concurrency: 1,
        }).run(),
      ),
    );
    expect(runs(file2)).toBe(1);
    for (const id of ids) expect((await e.engine.status(id)).fields.status).toBe("succeeded");
  });
});
