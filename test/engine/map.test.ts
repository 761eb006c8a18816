import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEvent, worthALine } from "../../src/cli/commands/watch.js";
import { Engine, Worker } from "../../src/engine/index.js";
import { maxOverlap } from "../support/intervals.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-map-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("map", () => {
  it("spreads 100 items over two workers, never more than its concurrency at once, results in order", async () => {
    const e = engineOn(server);
    await e.save({
      name: "spread",
      nodes: [
        {
          id: "each",
          kind: "task",
          handler: "shell",
          map: { over: `[${Array.from({ length: 100 }, (_, i) => i).join(",")}]`, concurrency: 10 },
          with: { command: ["sh", "-c", 'sleep 0.05; echo "$1"', "x", "${string(int(item) * 2)}"] },
        },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "each", to: "after" }],
    });
    const id = await e.engine.startRun("spread", {});
    const other = new Engine({
      redis: server.redis,
      keys: e.keys,
      actor: { user: "b", host: "two" },
    });
    await Promise.all([
      new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 8 }).run(),
      new Worker(other, server.client(), { onlyRun: id, concurrency: 8 }).run(),
    ]);
    const record = await e.engine.status(id);
    expect(record.fields.status, record.fields.reason).toBe("succeeded");
    expect((await e.engine.runs.outputs(id)).each).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i * 2)),
    );
    const items = Object.entries(record.nodes).filter(([n]) => n.startsWith("each#"));
    expect(items).toHaveLength(100);
    expect(
      maxOverlap(items.map(([, n]) => ({ start: n.start!, end: n.end! }))),
    ).toBeLessThanOrEqual(10);
    const holders = await server.redis.hgetall(e.keys.run(id).holders);
    const workers = new Set(items.map(([n]) => holders[n]));
    expect(workers.size).toBeGreaterThan(1);
    // The run's counters count nodes, not items.
    expect(record.fields).toMatchObject({ n_succeeded: "2", remaining: "0" });
  });

  it("retries an item by the node's policy, and fails the node (naming the item) when one fails for good", async () => {
    const e = engineOn(server);
    const flaky = join(dir, "flaky");
    await e.save({
      name: "items",
      parameters: { mark: { type: "string" } },
      nodes: [
        {
          id: "each",
          kind: "task",
          handler: "shell",
          map: { over: "[1, 2, 3]", concurrency: 3 },
          retries: { max: 1, initial: "10ms" },
          with: {
            command: [
              "sh",
              "-c",
              // Item 2 fails its first attempt only; item 3 always fails, later.
              'if [ "$1" = 2 ] && [ ! -e "$2" ]; then touch "$2"; exit 1; fi; if [ "$1" = 3 ]; then sleep 0.5; exit 1; fi; echo ok',
              "x",
              "${string(item)}",
              "${params.mark}",
            ],
          },
        },
      ],
    });
    const { record, events } = await e.runToEnd("items", { mark: flaky });
    expect(record.fields.status).toBe("failed");
    expect(record.fields.reason).toMatch(/^node each failed: item 2: exited with code 1/);
    expect(record.nodes["each#1"]).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(record.nodes["each#2"]).toMatchObject({ status: "failed", attempt: 2 });
    expect(events.some((ev) => ev.node === "each#1" && ev.status === "retrying")).toBe(true);
  });

  it("says how far a map has come in one line per tenth, not a line per item", () => {
    const progress = (p: string) =>
      ({ t: "0", node: "each", status: "running", progress: p }) as const;
    const shown = Array.from({ length: 21 }, (_, i) => progress(`${i}/20`)).filter(worthALine);
    expect(shown.map((x) => x.progress)).toEqual([
      "0/20",
      "2/20",
      "4/20",
      "6/20",
      "8/20",
      "10/20",
      "12/20",
      "14/20",
      "16/20",
      "18/20",
      "20/20",
    ]);
    expect(formatEvent(progress("37/100"))).toMatch(/ each {2}running {2}\(37\/100 items\)$/);
    expect(worthALine({ t: "0", node: "each#3", status: "succeeded" })).toBe(false);
    expect(worthALine({ t: "0", node: "each#3", status: "failed" })).toBe(true);
  });
});
