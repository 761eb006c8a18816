import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { RedisOptions } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, Worker, type WorkerEvent } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { storeKeys } from "../../src/store/index.js";
import {
  type RestartableRedis,
  reconnectForever,
  startRestartableRedis,
} from "../support/redis-restart.js";
import { until } from "../support/until.js";

let server: RestartableRedis;
beforeAll(async () => {
  server = await startRestartableRedis();
});
afterAll(() => server.stop());

/** Clients whose commands fail at once while Redis is away, yet which reconnect when it is back. */
const failWhileAway: RedisOptions = {
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
};

let prefix = 0;

describe.each([
  ["commands wait for Redis", reconnectForever],
  ["commands fail while Redis is away", failWhileAway],
])("a worker whose Redis is down for 5 s (%s)", (_, options) => {
  it("keeps running, reports the node that finished meanwhile, and the run succeeds", async () => {
    const keys = storeKeys(`outage${++prefix}`);
    const redis = server.client(options);
    const blocking = server.client(options);
    for (const c of [redis, blocking]) if (c.status !== "ready") await once(c, "ready");
    const engine = new Engine({ redis, keys, actor: { user: "ada", host: "box" } });
    const saved = await engine.registry.save([
      WorkflowSchema.parse({
        name: "nap",
        nodes: [
          { id: "nap", kind: "task", handler: "shell", with: { command: ["sleep", "2"] } },
          { id: "after", kind: "task", handler: "noop" },
        ],
        edges: [{ from: "nap", to: "after" }],
      }),
    ]);
    expect(saved.ok).toBe(true);
    const events: WorkerEvent[] = [];
    const worker = new Worker(engine, blocking, {
      onEvent: (e) => events.push(e),
    });
    let ended: string | undefined;
    const running = worker.run().then(
      () => {
        ended = "returned";
      },
      (cause: Error) => {
        ended = `threw ${cause.name}: ${cause.message}`;
      },
    );
    const id = await engine.startRun("nap", {});
    await until("the node to start", 10_000, async () =>
      events.some((e) => e.node === "nap" && e.status === "running") ? true : undefined,
    );

    await server.kill();
    await sleep(5_000);
    expect(ended).toBeUndefined();
    // The node finished while Redis was away: its result waits in the worker.
    expect(events.some((e) => e.node === "nap" && e.status === "succeeded")).toBe(true);
    await server.start();

    const observer = server.client();
    const status = await until("the run to finish", 20_000, async () => {
      const s = await observer.hget(keys.run(id).meta, "status");
      return s === "succeeded" || s === "failed" || s === "cancelled" ? s : undefined;
    });
    expect(status).toBe("succeeded");
    expect(ended).toBeUndefined();
    expect(events.filter((e) => e.status === "succeeded").map((e) => e.node)).toEqual([
      "nap",
      "after",
    ]);
    expect(events.some((e) => e.status === "stale" || e.status === "failed")).toBe(false);

    await worker.stop(1_000);
    await running;
    expect(ended).toBe("returned");
  }, 40_000);
});

describe("a run driven in this process (`weft run --wait`) whose Redis is down for 5 s", () => {
  it("waits for Redis and drives the run to its end", async () => {
    const keys = storeKeys(`outage${++prefix}`);
    const redis = server.client(failWhileAway);
    if (redis.status !== "ready") await once(redis, "ready");
    const engine = new Engine({ redis, keys, actor: { user: "ada", host: "box" } });
    await engine.registry.save([
      WorkflowSchema.parse({
        name: "nap",
        nodes: [
          { id: "nap", kind: "task", handler: "shell", with: { command: ["sleep", "1"] } },
          { id: "after", kind: "task", handler: "noop" },
        ],
        edges: [{ from: "nap", to: "after" }],
      }),
    ]);
    const id = await engine.startRun("nap", {});
    const events: WorkerEvent[] = [];
    const driving = new Worker(engine, redis, {
      onlyRun: id,
      onEvent: (e) => events.push(e),
    }).run();
    await until("the node to start", 10_000, async () =>
      events.some((e) => e.node === "nap" && e.status === "running") ? true : undefined,
    );
    await server.kill();
    await sleep(5_000);
    await server.start();
    await driving;
    expect((await engine.status(id)).fields.status).toBe("succeeded");
    expect(events.filter((e) => e.status === "succeeded").map((e) => e.node)).toEqual([
      "nap",
      "after",
    ]);
  }, 40_000);
});

describe("a worker told to stop while Redis is away", () => {
  it("gives up on Redis after its grace and the hand-back time, rather than waiting for ever", async () => {
    const keys = storeKeys(`outage${++prefix}`);
    const redis = server.client();
    const engine = new Engine({ redis, keys, actor: { user: "ada", host: "box" } });
    await engine.registry.save([
      WorkflowSchema.parse({
        name: "nap",
        nodes: [{ id: "nap", kind: "task", handler: "shell", with: { command: ["sleep", "1"] } }],
      }),
    ]);
    const events: WorkerEvent[] = [];
    const worker = new Worker(engine, server.client(), { onEvent: (e) => events.push(e) });
    const running = worker.run();
    await engine.startRun("nap", {});
    await until("the node to start", 10_000, async () =>
      events.some((e) => e.status === "running") ? true : undefined,
    );
    await server.kill();
    try {
      // The node's result waits for Redis, which does not come back in time.
      await until("the node to finish", 10_000, async () =>
        events.some((e) => e.status === "succeeded") ? true : undefined,
      );
      await worker.stop(0);
      await running;
    } finally {
      await server.start();
    }
  }, 30_000);
});
