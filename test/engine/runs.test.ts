import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn, states } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const noop = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "task",
  handler: "noop",
  ...extra,
});

describe("running workflows", () => {
  it("runs a chain in order and succeeds", async () => {
    const e = engineOn(server);
    await e.save({
      name: "chain",
      nodes: [noop("a"), noop("b"), noop("c")],
      edges: [
        { from: "a", to: "b" },
        { from: "b", to: "c" },
      ],
    });
    const { record, events } = await e.runToEnd("chain");
    expect(record.fields.status).toBe("succeeded");
    expect(states(record)).toEqual({ a: "succeeded", b: "succeeded", c: "succeeded" });
    expect(events.filter((ev) => ev.status === "running").map((ev) => ev.node)).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("joins a diamond only after both branches", async () => {
    const e = engineOn(server);
    await e.save({
      name: "diamond",
      nodes: [
        noop("start"),
        { id: "left", kind: "task", handler: "sleep", with: { duration: "50ms" } },
        noop("right"),
        noop("join"),
      ],
      edges: [
        { from: "start", to: "left" },
        { from: "start", to: "right" },
        { from: "left", to: "join" },
        { from: "right", to: "join" },
      ],
    });
    const { record, events } = await e.runToEnd("diamond");
    expect(record.fields.status).toBe("succeeded");
    const order = events.filter((ev) => ev.status === "succeeded").map((ev) => ev.node);
    expect(order.indexOf("join")).toBeGreaterThan(order.indexOf("left"));
    expect(order.indexOf("join")).toBeGreaterThan(order.indexOf("right"));
  });

  it("skips the false branch of a decision and still runs the join after it", async () => {
    const e = engineOn(server);
    await e.save({
      name: "decide",
      parameters: { size: { type: "integer", default: 20 } },
      nodes: [
        { id: "check", kind: "decision", condition: "params.size > 10" },
        noop("big", { with: { output: "big" } }),
        noop("small"),
        noop("after-small"),
        noop("join"),
      ],
      edges: [
        { from: "check", to: "big", condition: true },
        { from: "check", to: "small", condition: false },
        { from: "small", to: "after-small" },
        { from: "big", to: "join" },
        { from: "after-small", to: "join" },
      ],
    });
    const { record } = await e.runToEnd("decide");
    expect(states(record)).toEqual({
      check: "succeeded",
      big: "succeeded",
      small: "skipped",
      "after-small": "skipped",
      join: "succeeded",
    });
    const other = await e.runToEnd("decide", { size: 3 });
    expect(states(other.record)).toMatchObject({
      big: "skipped",
      small: "succeeded",
      join: "succeeded",
    });
  });

  it("takes an exclusive gateway's first true edge, else its default", async () => {
    const e = engineOn(server);
    await e.save({
      name: "route",
      parameters: { region: { type: "string", default: "eu" } },
      nodes: [{ id: "gate", kind: "exclusive" }, noop("eu"), noop("us"), noop("other")],
      edges: [
        { from: "gate", to: "eu", condition: 'params.region == "eu"' },
        { from: "gate", to: "us", condition: 'params.region == "us"' },
        { from: "gate", to: "other", default: true },
      ],
    });
    expect(states((await e.runToEnd("route")).record)).toEqual({
      gate: "succeeded",
      eu: "succeeded",
      us: "skipped",
      other: "skipped",
    });
    expect(states((await e.runToEnd("route", { region: "jp" })).record)).toMatchObject({
      eu: "skipped",
      us: "skipped",
      other: "succeeded",
    });
  });

  it("passes outputs to conditions and templates of later nodes", async () => {
    const e = engineOn(server);
    await e.save({
      name: "data",
      nodes: [
        {
          id: "measure",
          kind: "task",
          handler: "shell",
          with: { command: ["echo", '{"quality": 0.97}'] },
        },
        { id: "good", kind: "decision", condition: "nodes.measure.output.quality > 0.9" },
        {
          id: "report",
          kind: "task",
          handler: "shell",
          with: { command: ["echo", "quality=${string(nodes.measure.output.quality)}"] },
        },
      ],
      edges: [
        { from: "measure", to: "good" },
        { from: "good", to: "report", condition: true },
      ],
    });
    const { id, record } = await e.runToEnd("data");
    expect(record.fields.status).toBe("succeeded");
    expect(await e.engine.runs.outputs(id)).toEqual({
      measure: { quality: 0.97 },
      good: true,
      report: "quality=0.97",
    });
  });

  it("fails the run when a node fails, and withdraws what had not started", async () => {
    const e = engineOn(server);
    await e.save({
      name: "broken",
      nodes: [
        noop("a"),
        { id: "b", kind: "task", handler: "fail", with: { message: "boom" } },
        noop("c"),
      ],
      edges: [
        { from: "a", to: "b" },
        { from: "b", to: "c" },
      ],
    });
    const { record } = await e.runToEnd("broken");
    expect(record.fields.status).toBe("failed");
    expect(record.fields.reason).toBe("node b failed: boom");
    expect(states(record)).toEqual({ a: "succeeded", b: "failed", c: "cancelled" });
    expect(record.nodes.b!.error).toBe("boom");
  });

  it("goes on past a node that says continueOnFailure", async () => {
    const e = engineOn(server);
    await e.save({
      name: "tolerant",
      nodes: [{ id: "a", kind: "task", handler: "fail", continueOnFailure: true }, noop("b")],
      edges: [{ from: "a", to: "b" }],
    });
    const { record } = await e.runToEnd("tolerant");
    expect(record.fields.status).toBe("partially_succeeded");
    expect(states(record)).toEqual({ a: "failed", b: "succeeded" });
  });

  it("retries with backoff, then succeeds", async () => {
    const e = engineOn(server);
    const marker = `${server.dir}/attempts`;
    await e.save({
      name: "flaky",
      nodes: [
        {
          id: "flaky",
          kind: "task",
          handler: "shell",
          with: { command: `echo x >> ${marker}; test $(wc -l < ${marker}) -ge 3`, shell: true },
          retries: { max: 3, backoff: "exponential", initial: "20ms" },
        },
      ],
    });
    const { record, events } = await e.runToEnd("flaky");
    expect(record.fields.status).toBe("succeeded");
    expect(record.nodes.flaky!.attempt).toBe(3);
    expect(events.filter((ev) => ev.status === "retrying").map((ev) => ev.attempt)).toEqual([1, 2]);
  });

  it("fails at once on a non-retryable exit code", async () => {
    const e = engineOn(server);
    await e.save({
      name: "fatal",
      nodes: [
        {
          id: "a",
          kind: "task",
          handler: "shell",
          with: { command: ["sh", "-c", "exit 3"] },
          retries: { max: 5, initial: "10ms", nonRetryable: [3] },
        },
      ],
    });
    const { record } = await e.runToEnd("fatal");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.a).toMatchObject({
      status: "failed",
      attempt: 1,
      error: "exited with code 3 [3]",
    });
  });

  it("aborts a handler that runs past its timeout", async () => {
    const e = engineOn(server);
    await e.save({
      name: "slow",
      nodes: [
        { id: "a", kind: "task", handler: "sleep", with: { duration: "10s" }, timeout: "100ms" },
      ],
    });
    const { record } = await e.runToEnd("slow");
    expect(record.fields.status).toBe("failed");
    expect(record.nodes.a!.error).toBe("timed out after 100 ms [aborted]");
  });

  it("checks params against the workflow's schema before a run starts", async () => {
    const e = engineOn(server);
    await e.save({
      name: "typed",
      parameters: { n: { type: "integer", required: true } },
      nodes: [noop("a")],
    });
    await expect(e.engine.startRun("typed", { n: "many", extra: 1 })).rejects.toThrow(
      'typed@1: extra: unknown parameter `extra` (declared parameters: n); n: parameter `n` must be an integer, not "many"',
    );
  });

  it("starts a batch of runs in one call, each with its params, and each runs to the end", async () => {
    const e = engineOn(server);
    await e.save({
      name: "batch",
      parameters: { n: { type: "integer", required: true } },
      nodes: [noop("a"), noop("b")],
      edges: [{ from: "a", to: "b" }],
    });
    const ids = await e.engine.startRuns("batch", [{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(new Set(ids).size).toBe(3);
    for (const [i, id] of ids.entries()) {
      const worker = new Worker(e.engine, server.client(), { onlyRun: id });
      await worker.run();
      const record = await e.engine.status(id);
      expect(record.fields.status).toBe("succeeded");
      expect(JSON.parse(record.fields.params!)).toEqual({ n: i + 1 });
      expect(states(record)).toEqual({ a: "succeeded", b: "succeeded" });
    }
    const listed = await server.redis.zrange(e.keys.runsOfWorkflow("batch"), 0, -1);
    expect(listed.sort()).toEqual([...ids].sort());
  });

  it("starts none of a batch when any params object is wrong, naming each by its place", async () => {
    const e = engineOn(server);
    await e.save({
      name: "typed",
      parameters: { n: { type: "integer", required: true } },
      nodes: [noop("a")],
    });
    await expect(e.engine.startRuns("typed", [{ n: 1 }, { n: "x" }, {}])).rejects.toThrow(
      'typed@1: #2 n: parameter `n` must be an integer, not "x"; #3 n: missing required parameter `n`',
    );
    expect(await server.redis.zcard(e.keys.runsOfWorkflow("typed"))).toBe(0);
  });
});

describe("retrying a finished run", () => {
  it("reruns what failed or never ran, reusing what succeeded, on the same version", async () => {
    const e = engineOn(server);
    const flag = `${server.dir}/fixed-${Date.now()}`;
    await e.save({
      name: "mend",
      nodes: [
        {
          id: "fetch",
          kind: "task",
          handler: "shell",
          with: { command: ["sh", "-c", "echo fetched-$(date +%s%N)"] },
        },
        { id: "check", kind: "task", handler: "shell", with: { command: ["test", "-f", flag] } },
        noop("report"),
      ],
      edges: [
        { from: "fetch", to: "check" },
        { from: "check", to: "report" },
      ],
    });
    const first = await e.runToEnd("mend");
    expect(states(first.record)).toEqual({
      fetch: "succeeded",
      check: "failed",
      report: "cancelled",
    });
    const fetched = (await e.engine.runs.outputs(first.id)).fetch;
    // A newer version must not change the retried run.
    await e.save({ name: "mend", nodes: [noop("other")] });
    (await import("node:fs")).writeFileSync(flag, "");
    expect(await e.engine.retryRun(first.id)).toEqual({ attempt: 2, rerun: ["check", "report"] });
    const { Worker } = await import("../../src/engine/index.js");
    await new Worker(e.engine, server.client(), { onlyRun: first.id }).run();
    const after = await e.engine.status(first.id);
    expect(after.fields).toMatchObject({ status: "succeeded", attempt: "2", version: "1" });
    expect(states(after)).toEqual({ fetch: "succeeded", check: "succeeded", report: "succeeded" });
    expect((await e.engine.runs.outputs(first.id)).fetch).toBe(fetched);
    expect(after.nodes.check!.attempt).toBe(2);
    await expect(e.engine.retryRun(first.id)).rejects.toThrow("nothing to retry");
    expect((await e.engine.retryRun(first.id, { from: "check" })).rerun).toEqual([
      "check",
      "report",
    ]);
    await new Worker(e.engine, server.client(), { onlyRun: first.id }).run();
    expect((await e.engine.retryRun(first.id, { fromScratch: true })).rerun).toEqual([
      "fetch",
      "check",
      "report",
    ]);
    await new Worker(e.engine, server.client(), { onlyRun: first.id }).run();
    expect((await e.engine.runs.outputs(first.id)).fetch).not.toBe(fetched);
    const audit = await server.redis.xrange(e.keys.audit, "-", "+");
    expect(
      audit.filter(([, f]) => f.includes("retry")).map(([, f]) => f[f.indexOf("message") + 1]),
    ).toEqual([
      "attempt 2: failed and unfinished nodes",
      "attempt 3: from check",
      "attempt 4: from scratch",
    ]);
  });

  it("keeps a decision's untaken branch skipped when rerunning after it", async () => {
    const e = engineOn(server);
    await e.save({
      name: "branchy",
      nodes: [
        { id: "gate", kind: "decision", condition: "true" },
        noop("yes"),
        noop("no"),
        { id: "join", kind: "task", handler: "fail", continueOnFailure: false },
      ],
      edges: [
        { from: "gate", to: "yes", condition: true },
        { from: "gate", to: "no", condition: false },
        { from: "yes", to: "join" },
        { from: "no", to: "join" },
      ],
    });
    const { id, record } = await e.runToEnd("branchy");
    expect(states(record)).toEqual({
      gate: "succeeded",
      yes: "succeeded",
      no: "skipped",
      join: "failed",
    });
    expect((await e.engine.retryRun(id)).rerun).toEqual(["join"]);
    const { Worker } = await import("../../src/engine/index.js");
    await new Worker(e.engine, server.client(), { onlyRun: id }).run();
    expect(states(await e.engine.status(id))).toEqual({
      gate: "succeeded",
      yes: "succeeded",
      no: "skipped",
      join: "failed",
    });
    await expect(e.engine.retryRun(id, { from: "nope" })).rejects.toThrow("has no node `nope`");
  });
});
