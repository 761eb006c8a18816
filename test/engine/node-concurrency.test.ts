import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEvent } from "../../src/cli/commands/watch.js";
import { Worker } from "../../src/engine/index.js";
import { entryEvents } from "../../src/model/run-model.js";
import { maxOverlap } from "../support/intervals.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

/** A shell task that writes when it ran ("start end" in ms) to `file`. */
const timed = (id: string, file: string, seconds: string, concurrency: number) => ({
  id,
  kind: "task" as const,
  handler: "shell" as const,
  concurrency,
  with: {
    command: `s=$(date +%s%3N); sleep ${seconds}; echo "$s $(date +%s%3N)" >> ${file}`,
    shell: true,
  },
});

const spansIn = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [start, end] = line.split(" ").map(Number);
      return { start: start!, end: end! };
    });

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(25);
  }
}

describe("a node's concurrency across runs", () => {
  it("runs at most 2 of a node at once over 6 runs and two workers, the others waiting (limit)", async () => {
    const e = engineOn(server);
    const spans = join(server.dir, "spans-2");
    await e.save({
      name: "api-calls",
      nodes: [
        { id: "prepare", kind: "task", handler: "noop" },
        timed("call_api", spans, "0.4", 2),
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [
        { from: "prepare", to: "call_api" },
        { from: "call_api", to: "after" },
      ],
    });
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => e.engine.startRun("api-calls", {})),
    );
    const workers = [1, 2].map(
      () => new Worker(e.engine, server.client(), { concurrency: 8, queues: ["default"] }),
    );
    const working = workers.map((w) => w.run());
    let sawWaiting = false;
    await until(async () => {
      const runs = await Promise.all(ids.map((id) => e.engine.status(id)));
      if (runs.some((r) => r.nodes.call_api?.waitingFor === "limit")) sawWaiting = true;
      return runs.every((r) => r.fields.status === "succeeded");
    });
    await Promise.all(workers.map((w) => w.stop(1000)));
    await Promise.all(working);
    const ran = spansIn(spans);
    expect(ran).toHaveLength(6);
    expect(maxOverlap(ran)).toBe(2);
    expect(sawWaiting).toBe(true);
    // The stream says why a node waits; `run --wait` prints it.
    const events = (await server.redis.xrange(e.keys.run(ids[5]!).events, "-", "+")).flatMap(
      ([, flat]) => entryEvents(flat),
    );
    const parked = (
      await Promise.all(
        ids.map(async (id) =>
          (
            await server.redis.xrange(e.keys.run(id).events, "-", "+")
          )
            .flatMap(([, flat]) => entryEvents(flat))
            .filter((ev) => ev.status === "queued" && ev.waiting === "limit"),
        ),
      )
    ).flat();
    expect(parked.length).toBeGreaterThanOrEqual(4);
    expect(formatEvent(parked[0]!)).toMatch(/call_api {2}queued {2}\(waiting \(limit\)/);
    expect(events.at(-1)).toMatchObject({ node: "", status: "run:succeeded" });
  });

  it("gives the place of a run cancelled while it waited to the next run", async () => {
    const e = engineOn(server);
    const spans = join(server.dir, "spans-1");
    await e.save({ name: "one-call", nodes: [timed("call", spans, "0.5", 1)] });
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(() => e.engine.startRun("one-call", {})),
    );
    const worker = new Worker(e.engine, server.client(), { concurrency: 4, queues: ["default"] });
    const working = worker.run();
    await until(async () => {
      const runs = await Promise.all([second!, third!].map((id) => e.engine.status(id)));
      return runs.every((r) => r.nodes.call?.waitingFor === "limit");
    });
    await e.engine.cancelRun(second!, "not needed");
    await until(async () => (await e.engine.status(third!)).fields.status === "succeeded");
    await worker.stop(1000);
    await working;
    expect((await e.engine.status(first!)).fields.status).toBe("succeeded");
    expect((await e.engine.status(second!)).fields.status).toBe("cancelled");
    const ran = spansIn(spans);
    expect(ran).toHaveLength(2);
    expect(maxOverlap(ran)).toBe(1);
  });

  it("takes back a place whose holder stopped renewing it (its worker died)", async () => {
    const e = engineOn(server);
    await e.save({
      name: "ghosted",
      nodes: [{ id: "call", kind: "task", handler: "noop", concurrency: 1 }],
    });
    // A worker that died holding the only place: its place lapses 1.5 s from now.
    const gate = e.keys.nodeGate("ghosted", "call");
    const [seconds, micros] = await server.redis.time();
    await server.redis.zadd(
      gate.running,
      Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + 1500,
      "dead-run|call",
    );
    const id = await e.engine.startRun("ghosted", {});
    const began = Date.now();
    await new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 1 }).run();
    expect((await e.engine.status(id)).fields.status).toBe("succeeded");
    // It waited for the place to lapse, then asked again (within its look-again time).
    expect(Date.now() - began).toBeGreaterThanOrEqual(1400);
    expect(await server.redis.zrange(gate.running, 0, -1)).toEqual([]);
  });
});
