import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe("run priority", () => {
  it("makes a worker take waiting runs of higher priority first, each priority in its order", async () => {
    const e = engineOn(server);
    // Each run takes a few ms, so that the runs' start times (in ms) tell their order apart.
    await e.save({
      name: "job",
      nodes: [{ id: "work", kind: "task", handler: "sleep", with: { duration: "5ms" } }],
    });
    const low = await e.engine.startRun("job", {}, { priority: -1 });
    const normal = [];
    for (let i = 0; i < 6; i++) normal.push(await e.engine.startRun("job", {}));
    const high = await e.engine.startRun("job", {}, { priority: 5 });
    const higher = await e.engine.startRun("job", {}, { priority: 9 });
    const all = [low, ...normal, high, higher];
    // One slot: one run at a time, in the order the worker takes them.
    const worker = new Worker(e.engine, server.client(), { concurrency: 1, queues: ["default"] });
    const working = worker.run();
    for (let i = 0; i < 400; i++) {
      const done = await Promise.all(all.map(async (id) => (await e.engine.status(id)).fields));
      if (done.every((f) => f.status === "succeeded")) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await worker.stop(1000);
    await working;
    const runs = await Promise.all(all.map((id) => e.engine.status(id)));
    expect(runs.map((r) => r.fields.status)).toEqual(all.map(() => "succeeded"));
    const order = [...runs]
      .sort((a, b) => a.nodes.work!.start! - b.nodes.work!.start! || 0)
      .map((r) => r.id);
    expect(order).toEqual([higher, high, ...normal, low]);
    expect(runs.at(-1)!.fields.priority).toBe("9");
  });

  it("refuses a priority out of range, and a child run goes in its parent's lane", async () => {
    const e = engineOn(server);
    await e.save({ name: "child", nodes: [{ id: "c", kind: "task", handler: "noop" }] });
    await e.save({
      name: "parent",
      nodes: [{ id: "call", kind: "subworkflow", workflow: "child" }],
    });
    await expect(e.engine.startRun("parent", {}, { priority: 11 })).rejects.toThrow(
      "a run's priority is a whole number from -10 to 10, not 11",
    );
    const id = await e.engine.startRun("parent", {}, { priority: 3 });
    await new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 }).run();
    const record = await e.engine.status(id);
    expect(record.fields.status).toBe("succeeded");
    expect((await e.engine.status(`${id}.call.1`)).fields.priority).toBe("3");
  });
});
