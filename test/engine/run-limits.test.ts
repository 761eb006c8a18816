import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import { maxOverlap } from "../support/intervals.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe("limits.maxConcurrentRuns", () => {
  it("holds a limit of 2 concurrent runs under 20 starts, and every run finishes", async () => {
    const e = engineOn(server);
    await e.save({
      name: "limited",
      limits: { maxConcurrentRuns: 2 },
      nodes: [
        { id: "a", kind: "task", handler: "sleep", with: { duration: "60ms" } },
        { id: "b", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "a", to: "b" }],
    });
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => e.engine.startRun("limited", {})),
    );
    const held = await Promise.all(ids.map(async (id) => (await e.engine.status(id)).fields.held));
    expect(held.filter((h) => h === "1")).toHaveLength(18);
    const worker = new Worker(e.engine, server.client(), { concurrency: 16, queues: ["default"] });
    const working = worker.run();
    for (let i = 0; i < 200; i++) {
      const states = await Promise.all(ids.map(async (id) => (await e.engine.status(id)).fields));
      if (states.every((f) => f.status === "succeeded")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.stop(1000);
    await working;
    const runs = await Promise.all(ids.map((id) => e.engine.status(id)));
    expect(runs.map((r) => r.fields.status)).toEqual(ids.map(() => "succeeded"));
    // Each run from its first node's start to its last node's end.
    const spans = runs.map((r) => ({ start: r.nodes.a!.start!, end: r.nodes.b!.end! }));
    expect(maxOverlap(spans)).toBeLessThanOrEqual(2);
    expect(maxOverlap(spans)).toBe(2);
  });

  it("gives the place of a run cancelled while it waited to the next one", async () => {
    const e = engineOn(server);
    await e.save({
      name: "one-at-a-time",
      limits: { maxConcurrentRuns: 1 },
      nodes: [{ id: "a", kind: "task", handler: "noop" }],
    });
    const [first, second, third] = [
      await e.engine.startRun("one-at-a-time", {}),
      await e.engine.startRun("one-at-a-time", {}),
      await e.engine.startRun("one-at-a-time", {}),
    ];
    await e.engine.cancelRun(second!, "not needed");
    await new Worker(e.engine, server.client(), { onlyRun: first!, concurrency: 1 }).run();
    await new Worker(e.engine, server.client(), { onlyRun: third!, concurrency: 1 }).run();
    expect((await e.engine.status(third!)).fields.status).toBe("succeeded");
    expect((await e.engine.status(second!)).fields.status).toBe("cancelled");
  });
});
