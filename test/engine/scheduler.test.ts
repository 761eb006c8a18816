import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, Scheduler } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const at = (hhmmss: string) => Date.parse(`2026-03-02T${hhmmss}Z`);

/** An engine and a scheduler on an injected clock (`clock.t`). */
async function scheduled(schedule: unknown, params: Record<string, unknown> = {}) {
  const e = engineOn(server);
  await e.save({
    name: "nightly",
    parameters: { region: { type: "string", default: "eu" } },
    schedule,
    nodes: [{ id: "work", kind: "task", handler: "noop" }],
  });
  const clock = { t: at("12:00:30") };
  const scheduler = new Scheduler(e.engine, { now: () => clock.t, owner: "one" });
  return { e, clock, scheduler, params };
}

describe("schedules", () => {
  it("fires at the next minute boundary, once, with the trigger and due time on the run", async () => {
    const { e, clock, scheduler } = await scheduled({ cron: "* * * * *", timezone: "UTC" });
    expect(await scheduler.tick()).toEqual([]); // first sight: ticks count from now
    clock.t = at("12:00:59.900");
    expect(await scheduler.tick()).toEqual([]);
    clock.t = at("12:01:00.020");
    const fired = await scheduler.tick();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ workflow: "nightly", due: at("12:01:00") });
    const run = await e.engine.status(fired[0]!.run!);
    expect(run.fields).toMatchObject({ trigger: "schedule", scheduledFor: String(at("12:01:00")) });
    // A second scheduler (failover) at the same moment fires nothing more.
    const other = new Engine({
      redis: server.redis,
      keys: e.keys,
      actor: { user: "b", host: "h2" },
    });
    const second = new Scheduler(other, { now: () => clock.t, owner: "two" });
    expect(await second.tick()).toEqual([]);
    expect(await scheduler.tick()).toEqual([]);
  });

  it("fires ticks missed while no scheduler ran once by default, one each with `all`, none late with `skip`", async () => {
    for (const [missed, count] of [
      ["once", 1],
      ["all", 4],
      ["skip", 0],
    ] as const) {
      const { clock, scheduler } = await scheduled({ cron: "* * * * *", timezone: "UTC", missed });
      await scheduler.tick();
      clock.t = at("12:01:01");
      expect(await scheduler.tick()).toHaveLength(1);
      clock.t = at("12:05:40"); // 12:02 .. 12:05 missed; 12:05 is 40 s late
      expect((await scheduler.tick()).length, missed).toBe(count);
    }
  });

  it("reads a zone in front of the cron line, as Dagu writes it, and gives the runs their params", async () => {
    const { e, clock, scheduler } = await scheduled({
      cron: ["CRON_TZ=Asia/Tokyo 0 21 * * *"],
      params: { region: "jp" },
    });
    clock.t = at("11:59:00");
    await scheduler.tick();
    clock.t = at("12:00:00.010"); // 21:00 in Tokyo
    const [f] = await scheduler.tick();
    expect(f?.run).toBeDefined();
    expect(JSON.parse((await e.engine.status(f!.run!)).fields.params!)).toEqual({ region: "jp" });
    const rows = await scheduler.rows();
    expect(rows[0]).toMatchObject({ workflow: "nightly", next: at("12:00:00") + 86_400_000 });
    expect(rows[0]!.entry.timezone).toBe("Asia/Tokyo");
  });

  it("records how every other run was started", async () => {
    const e = engineOn(server);
    await e.save({ name: "plain", nodes: [{ id: "a", kind: "task", handler: "fail" }] });
    const { id, record } = await e.runToEnd("plain");
    expect(record.fields.trigger).toBe("cli");
    await e.engine.retryRun(id);
    expect((await e.engine.status(id)).fields.trigger).toBe("retry");
  });
});
