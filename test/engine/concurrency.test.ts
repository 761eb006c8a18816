import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, Worker } from "../../src/engine/index.js";
import { isAlive } from "../../src/store/embedded.js";
import { LOOK_AGAIN_MS } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn, states } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe("cancellation", () => {
  it("stops a sleeping shell handler within a second, its process group gone, and audits who", async () => {
    const e = engineOn(server);
    const pidFile = join(server.dir, "sleeper.pid");
    await e.save({
      name: "sleepy",
      nodes: [
        {
          id: "nap",
          kind: "task",
          handler: "shell",
          with: { command: `echo $$ > ${pidFile}; sleep 30 & wait`, shell: true },
        },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "nap", to: "after" }],
    });
    const id = await e.engine.startRun("sleepy", {});
    const worker = new Worker(e.engine, server.client(), { onlyRun: id });
    const done = worker.run();
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "") await sleep(20);
    const pid = Number(readFileSync(pidFile, "utf8"));
    const cancelledAt = Date.now();
    expect(await e.engine.cancelRun(id, "changed my mind")).toBe("cancelled");
    await done;
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    while (isAlive(pid) && Date.now() - cancelledAt < 1_000) await sleep(20);
    expect(isAlive(pid)).toBe(false);
    const record = await e.engine.status(id);
    expect(record.fields).toMatchObject({
      status: "cancelled",
      reason: "changed my mind",
      cancelledBy: "ada",
    });
    expect(states(record)).toEqual({ nap: "cancelled", after: "cancelled" });
    const audit = await server.redis.xrange(e.keys.audit, "-", "+");
    expect(audit.at(-1)![1]).toEqual(
      expect.arrayContaining(["action", "cancel", "run", id, "who", "ada"]),
    );
    expect(await e.engine.cancelRun(id)).toBe("already");
  });

  it("refuses to cancel a run that already finished", async () => {
    const e = engineOn(server);
    await e.save({ name: "quick", nodes: [{ id: "a", kind: "task", handler: "noop" }] });
    const { id } = await e.runToEnd("quick");
    await expect(e.engine.cancelRun(id)).rejects.toThrow(
      `run ${id} already finished (succeeded); there is nothing to cancel`,
    );
  });
});

describe("at-least-once delivery without double runs", () => {
  it("ignores a completion whose claim is stale", async () => {
    const e = engineOn(server);
    await e.save({ name: "one", nodes: [{ id: "a", kind: "task", handler: "noop" }] });
    const id = await e.engine.startRun("one", {});
    const queues = await e.engine.runs.queuesOf(id);
    const first = await e.engine.runs.claim(id, queues, "default", 10, 50, "w1", Date.now());
    expect(first.claimed).toEqual([{ node: "a", attempt: 1, token: 1 }]);
    // The lease runs out (the worker looks dead); the node goes back and another worker claims it.
    await sleep(80);
    await e.engine.runs.promote(id, queues, Date.now());
    const second = await e.engine.runs.claim(id, queues, "default", 10, 30_000, "w2", Date.now());
    expect(second.claimed).toEqual([{ node: "a", attempt: 1, token: 2 }]);
    const late = await e.engine.runs.complete(
      id,
      queues,
      [{ node: "a", token: 1, output: "late", taken: "all" }],
      Date.now(),
    );
    expect(late.stale).toBe(1);
    const real = await e.engine.runs.complete(
      id,
      queues,
      [{ node: "a", token: 2, output: "real", taken: "all" }],
      Date.now(),
    );
    expect(real).toMatchObject({ stale: 0, status: "succeeded" });
    expect(await e.engine.runs.outputs(id)).toEqual({ a: "real" });
  });

  it("runs every node of many runs exactly once with three workers racing", async () => {
    const e = engineOn(server);
    const width = 8;
    const nodes = [
      { id: "start", kind: "task", handler: "noop" },
      ...Array.from({ length: width }, (_, i) => ({ id: `w${i}`, kind: "task", handler: "noop" })),
      { id: "end", kind: "task", handler: "noop" },
    ];
    const edges = Array.from({ length: width }, (_, i) => [
      { from: "start", to: `w${i}` },
      { from: `w${i}`, to: "end" },
    ]).flat();
    await e.save({ name: "fan", nodes, edges });
    const ran = new Map<string, number>();
    const workers = Array.from(
      { length: 3 },
      (_, i) =>
        new Worker(e.engine, server.client(), {
          id: `w${i}`,
          concurrency: 4,
          onEvent: (ev) => {
            if (ev.status === "running")
              ran.set(`${ev.run}:${ev.node}`, (ran.get(`${ev.run}:${ev.node}`) ?? 0) + 1);
          },
        }),
    );
    const loops = workers.map((w) => w.run());
    const ids = await Promise.all(Array.from({ length: 20 }, () => e.engine.startRun("fan", {})));
    const deadline = Date.now() + 20_000;
    for (const id of ids) {
      while ((await e.engine.status(id)).fields.status !== "succeeded" && Date.now() < deadline)
        await sleep(20);
    }
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(loops);
    for (const id of ids) expect((await e.engine.status(id)).fields.status).toBe("succeeded");
    expect(ran.size).toBe(20 * (width + 2));
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("hints", () => {
  it("finishes a run whose hint was lost with a worker that died before claiming", async () => {
    const e = engineOn(server);
    await e.save({ name: "hinted", nodes: [{ id: "a", kind: "task", handler: "noop" }] });
    // A clock that can skip ahead to when the sweep looks at the run again.
    let skipped = 0;
    const engine = new Engine({ ...e.engine.options, now: () => Date.now() + skipped });
    const id = await engine.startRun("hinted", {});
    // The hint is popped by a worker that dies at once: the ready node has no hint left.
    expect(await server.redis.lpop(e.keys.hints("default"))).toBe(id);
    skipped = LOOK_AGAIN_MS;
    const worker = new Worker(engine, server.client(), { sweepMs: 20 });
    const loop = worker.run();
    const deadline = Date.now() + 10_000;
    while ((await e.engine.status(id)).fields.status !== "succeeded" && Date.now() < deadline)
      await sleep(20);
    await worker.stop();
    await loop;
    expect((await e.engine.status(id)).fields.status).toBe("succeeded");
  });
});

describe("stopping a worker", () => {
  it("hands back what it could not finish in its grace time, and another worker finishes it", async () => {
    const e = engineOn(server);
    const marker = join(server.dir, `handed-back-${Date.now()}`);
    await e.save({
      name: "long",
      nodes: [
        {
          id: "job",
          kind: "task",
          handler: "shell",
          with: {
            command: `if [ -f ${marker} ]; then echo done; else touch ${marker}; sleep 30; fi`,
            shell: true,
          },
        },
      ],
    });
    const first = new Worker(e.engine, server.client(), { leaseMs: 60_000 });
    const loop = first.run();
    const id = await e.engine.startRun("long", {});
    while (!existsSync(marker)) await sleep(20);
    await first.stop(200);
    await loop;
    expect((await e.engine.status(id)).nodes.job).toMatchObject({ status: "queued", attempt: 1 });
    const second = new Worker(e.engine, server.client(), { onlyRun: id });
    await second.run();
    const record = await e.engine.status(id);
    expect(record.fields.status).toBe("succeeded");
    const events = await server.redis.xrange(e.keys.run(id).events, "-", "+");
    expect(events.filter(([, f]) => f.includes("released"))).toHaveLength(1);
  });
});
