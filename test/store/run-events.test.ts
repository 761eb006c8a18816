/**
 * The store's run-side functions on a real Redis: one follower of a run's stream, history and
 * logs, the workers registry and its hints, the sweep index, and operators' audit entries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendAudits,
  RunEvents,
  readAudit,
  SweepIndex,
  storeKeys,
  WorkerRegistry,
} from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let server: TestRedis;
const keys = storeKeys("evt");

beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const waitFor = async (check: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe("RunEvents", () => {
  it("follows a run's stream from an entry on, in batches, until stopped", async () => {
    const events = new RunEvents(server.redis, keys);
    const key = keys.run("r1").events;
    expect(await events.lastId("r1")).toBe("0");
    await server.redis.xadd(key, "*", "t", "1", "node", "", "status", "run:queued");
    const from = await events.lastId("r1");
    const seen: string[] = [];
    let idle = 0;
    const follower = events.follow(
      "r1",
      from,
      {
        onEvents: (batch) => {
          for (const e of batch) seen.push(`${e.node}:${e.status}`);
          return undefined;
        },
        onIdle: () => {
          idle++;
          return undefined;
        },
      },
      50,
    );
    await server.redis.xadd(key, "*", "t", "2", "node", "a", "status", "running", "attempt", "1");
    await server.redis.xadd(key, "*", "t", "3", "node", "a", "status", "succeeded");
    await waitFor(() => seen.length === 2 && idle > 0);
    expect(seen).toEqual(["a:running", "a:succeeded"]);
    follower.stop();
    await follower.done;
    const history = await events.history("r1", "a");
    expect(history.map((e) => e.status)).toEqual(["running", "succeeded"]);
    expect(history[0]!.attempt).toBe("1");
    expect((await events.read("r1", from)).events).toHaveLength(2);
  });

  it("stops following when told to, and finds the latest retry", async () => {
    const events = new RunEvents(server.redis, keys);
    const key = keys.run("r2").events;
    await server.redis.xadd(key, "*", "t", "1", "node", "", "status", "run:failed");
    await server.redis.xadd(key, "*", "t", "2", "node", "", "status", "run:retrying");
    let batches = 0;
    const follower = events.follow("r2", "0", {
      onEvents: () => {
        batches++;
        return "stop";
      },
    });
    await follower.done;
    expect(batches).toBe(1);
    const retry = await events.lastRetry("r2");
    expect(retry?.events.map((e) => e.status)).toEqual(["run:retrying"]);
  });

  it("appends to and reads a node's log", async () => {
    const events = new RunEvents(server.redis, keys);
    expect(await events.log("r3", "a")).toBeNull();
    await events.appendLog("r3", "a", "hello ");
    await events.appendLog("r3", "a", "world");
    expect(await events.log("r3", "a")).toBe("hello world");
  });
});

describe("WorkerRegistry", () => {
  it("knows which queues were served lately, until the worker leaves", async () => {
    const workers = new WorkerRegistry(server.redis, keys);
    await workers.heartbeat("w1", ["default", "gpu"], 1_000);
    expect([...(await workers.servedSince(500))].sort()).toEqual(["default", "gpu"]);
    expect(await workers.servedSince(2_000)).toEqual(new Set());
    await workers.leave("w1", ["default", "gpu"]);
    expect(await workers.servedSince(0)).toEqual(new Set());
  });

  it("waits for hints on its own connection and says which queue they came from", async () => {
    const workers = new WorkerRegistry(server.redis, keys);
    const blocking = server.client();
    await server.redis.rpush(keys.hints("gpu"), "r1", "r2", "r3");
    expect(await workers.waitForHints(blocking, ["default", "gpu"], 2, "0.1")).toEqual({
      queue: "gpu",
      runs: ["r1", "r2"],
    });
    await workers.waitForHints(blocking, ["gpu"], 5, "0.1");
    expect(await workers.waitForHints(blocking, ["default", "gpu"], 2, "0.05")).toBeNull();
  });
});

describe("SweepIndex and the audit", () => {
  it("lists due runs, reschedules and removes them", async () => {
    const sweep = new SweepIndex(server.redis, keys);
    await sweep.reschedule("a", 100);
    await sweep.reschedule("b", 300);
    expect(await sweep.due(200, 10)).toEqual(["a"]);
    await sweep.reschedule("a", 400);
    expect(await sweep.due(200, 10)).toEqual([]);
    await sweep.remove("b");
    expect(await sweep.due(1_000, 10)).toEqual(["a"]);
  });

  it("writes an operator's action with its run and reads it back", async () => {
    await appendAudits(server.redis, keys, [
      { who: "ada", host: "box", time: 1_234, action: "cancel", run: "r9", message: "enough" },
    ]);
    const [entry] = await readAudit(server.redis, keys);
    expect(entry).toMatchObject({
      who: "ada",
      host: "box",
      time: 1_234,
      action: "cancel",
      run: "r9",
      message: "enough",
    });
  });
});
