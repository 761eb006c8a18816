import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { poll } from "../support/until.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

describe("delay nodes wait in Redis, not in a worker slot", () => {
  it("lets 200 runs wait on a delay at once with one worker slot, then finishes them all", async () => {
    const e = engineOn(server);
    await e.save({
      name: "pause",
      nodes: [
        { id: "wait", kind: "delay", duration: "3s" },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "wait", to: "after" }],
    });
    const worker = new Worker(e.engine, server.client(), { concurrency: 1, sweepMs: 50 });
    const loop = worker.run();
    try {
      const ids = await e.engine.startRuns(
        "pause",
        Array.from({ length: 200 }, () => ({})),
      );
      // A slot that slept through the delay would leave 199 runs queued behind the first.
      const waiting = async () => {
        const records = await Promise.all(ids.map((id) => e.engine.status(id)));
        return records.filter((r) => r.nodes.wait?.status === "waiting").length;
      };
      expect(await poll(async () => (await waiting()) === 200, 2_500)).toBe(true);
      const done = async () => {
        const records = await Promise.all(ids.map((id) => e.engine.status(id)));
        return records.every((r) => r.fields.status === "succeeded");
      };
      expect(await poll(done, 15_000)).toBe(true);
      const record = await e.engine.status(ids[0]!);
      expect(record.nodes.wait!.end! - record.nodes.wait!.start!).toBeGreaterThanOrEqual(2_900);
    } finally {
      await worker.stop();
      await loop;
    }
  });

  it("cancels a run whose delay is waiting: nothing of it is left due", async () => {
    const e = engineOn(server);
    await e.save({
      name: "long-pause",
      nodes: [
        { id: "wait", kind: "delay", duration: "10m" },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "wait", to: "after" }],
    });
    const worker = new Worker(e.engine, server.client(), { concurrency: 1, sweepMs: 50 });
    const loop = worker.run();
    try {
      const id = await e.engine.startRun("long-pause", {});
      expect(
        await poll(async () => (await e.engine.status(id)).nodes.wait?.status === "waiting", 5_000),
      ).toBe(true);
      expect(await e.engine.cancelRun(id, "not today")).toBe("cancelled");
      const record = await e.engine.status(id);
      expect(record.fields.status).toBe("cancelled");
      expect(record.nodes.wait!.status).toBe("cancelled");
      expect(record.nodes.after!.status).toBe("cancelled");
      expect(await server.redis.zcard(e.keys.run(id).delayed)).toBe(0);
    } finally {
      await worker.stop();
      await loop;
    }
  });

  it("waits until an absolute time given by an expression", async () => {
    const e = engineOn(server);
    await e.save({
      name: "until",
      parameters: { at: { type: "string", required: true } },
      nodes: [
        { id: "wait", kind: "delay", until: "${params.at}" },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "wait", to: "after" }],
    });
    const at = Date.now() + 700;
    const { record } = await e.runToEnd("until", { at: new Date(at).toISOString() });
    expect(record.fields.status).toBe("succeeded");
    expect(record.nodes.after!.start!).toBeGreaterThanOrEqual(at);
  });
});
