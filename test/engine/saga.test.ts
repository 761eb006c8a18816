import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Worker } from "../../src/engine/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { until } from "../support/until.js";
import { engineOn, states } from "./support.js";

let server: TestRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "weft-saga-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A shell step that appends its word to the run's log file, and fails when `fail` says so. */
const step = (word: string, extra: Record<string, unknown> = {}) => ({
  handler: "shell",
  with: {
    command: [
      "sh",
      "-c",
      'echo "$1" >> "$2"; [ "$3" != "$1" ]',
      "step",
      word,
      "${params.log}",
      "${params.fail}",
    ],
  },
  ...extra,
});

/** The order saga of examples/order-saga.yaml, with handlers that write what they did. */
function orderSaga(name: string, over: { refund?: Record<string, unknown> } = {}) {
  const nodes: Record<string, unknown>[] = [
    { id: "reserve", kind: "task", ...step("reserve"), compensation: "release" },
    { id: "charge", kind: "task", ...step("charge"), compensation: "refund" },
    { id: "ship", kind: "task", ...step("ship"), compensation: "unship" },
    { id: "release", kind: "compensation", ...step("release"), compensates: "reserve" },
    {
      id: "refund",
      kind: "compensation",
      ...step("refund"),
      compensates: "charge",
      ...over.refund,
    },
    { id: "unship", kind: "compensation", ...step("unship"), compensates: "ship" },
  ];
  return {
    name,
    parameters: {
      log: { type: "string", required: true },
      fail: { type: "string", default: "" },
    },
    nodes,
    edges: [
      { from: "reserve", to: "charge" },
      { from: "charge", to: "ship" },
    ],
  };
}

let logs = 0;
const newLog = () => join(dir, `log-${++logs}.txt`);
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : [];

describe("saga compensation", () => {
  it("undoes what succeeded in reverse order when a step fails: refund, then release", async () => {
    const e = engineOn(server);
    await e.save(orderSaga("order"));
    const log = newLog();
    const { record } = await e.runToEnd("order", { log, fail: "ship" });
    expect(lines(log)).toEqual(["reserve", "charge", "ship", "refund", "release"]);
    expect(record.fields.status).toBe("compensated");
    expect(record.fields.reason).toContain("node ship failed");
    expect(states(record)).toEqual({
      reserve: "compensated",
      charge: "compensated",
      ship: "failed",
      refund: "succeeded",
      release: "succeeded",
    });
  });

  it("gives a compensation the output of the task it undoes (the refund gets the charge's id)", async () => {
    const e = engineOn(server);
    await e.save({
      name: "refund-by-id",
      parameters: { log: { type: "string" } },
      nodes: [
        {
          id: "pay",
          kind: "task",
          handler: "noop",
          with: { output: { txn: "txn-42" } },
          compensation: "refund",
        },
        { id: "ship", kind: "task", handler: "fail", with: { message: "no courier" } },
        {
          id: "refund",
          kind: "compensation",
          handler: "shell",
          with: {
            command: [
              "sh",
              "-c",
              'echo "refund $1" >> "$2"',
              "x",
              "${nodes.pay.output.txn}",
              "${params.log}",
            ],
          },
          compensates: "pay",
        },
      ],
      edges: [{ from: "pay", to: "ship" }],
    });
    const log = newLog();
    const { record } = await e.runToEnd("refund-by-id", { log });
    expect(record.fields.status).toBe("compensated");
    expect(lines(log)).toEqual(["refund txn-42"]);
  });

  it("never runs a compensation when the run succeeds", async () => {
    const e = engineOn(server);
    await e.save(orderSaga("happy"));
    const log = newLog();
    const { record } = await e.runToEnd("happy", { log });
    expect(record.fields.status).toBe("succeeded");
    expect(lines(log)).toEqual(["reserve", "charge", "ship"]);
    expect(Object.keys(record.nodes).sort()).toEqual(["charge", "reserve", "ship"]);
  });

  it("ends `failed` as before when nothing that succeeded has a compensation", async () => {
    const e = engineOn(server);
    await e.save(orderSaga("first-fails"));
    const log = newLog();
    const { record } = await e.runToEnd("first-fails", { log, fail: "reserve" });
    expect(record.fields.status).toBe("failed");
    expect(lines(log)).toEqual(["reserve"]);
  });

  it("retries a failing compensation by its own policy, goes on with the others, and names what was not undone", async () => {
    const e = engineOn(server);
    await e.save(
      orderSaga("stuck-refund", {
        refund: {
          retries: { max: 2, initial: "10ms" },
          with: { command: ["sh", "-c", 'echo refund >> "$1"; exit 7', "x", "${params.log}"] },
        },
      }),
    );
    const log = newLog();
    const { record } = await e.runToEnd("stuck-refund", { log, fail: "ship" });
    expect(lines(log)).toEqual([
      "reserve",
      "charge",
      "ship",
      "refund",
      "refund",
      "refund",
      "release",
    ]);
    expect(record.fields.status).toBe("compensation_failed");
    expect(record.fields.reason).toMatch(/not undone: charge$/);
    expect(record.nodes.refund).toMatchObject({ status: "failed", attempt: 3 });
    expect(record.nodes.charge!.status).toBe("succeeded");
    expect(record.nodes.reserve!.status).toBe("compensated");
  });

  it("undoes a cancelled run with --compensate, stopping the step under way", async () => {
    const e = engineOn(server);
    const spec = orderSaga("cancel-undo");
    spec.nodes[2] = {
      id: "ship",
      kind: "task",
      handler: "shell",
      with: { command: ["sh", "-c", 'echo ship >> "$1"; exec sleep 30', "x", "${params.log}"] },
      compensation: "unship",
    };
    await e.save(spec);
    const log = newLog();
    const id = await e.engine.startRun("cancel-undo", { log });
    const worker = new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 });
    const finished = worker.run();
    await until("ship to start", 10_000, () => lines(log).includes("ship"), 20);
    const cancelledAt = Date.now();
    await e.engine.cancelRun(id, "customer changed their mind", { compensate: true });
    await finished;
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    const record = await e.engine.status(id);
    expect(record.fields.status).toBe("compensated");
    expect(record.fields.reason).toBe("cancelled by ada: customer changed their mind");
    // ship never finished, so it has nothing to undo.
    expect(lines(log)).toEqual(["reserve", "charge", "ship", "refund", "release"]);
    expect(record.nodes.ship!.status).toBe("cancelled");
  });

  it("stops undoing when a run is cancelled while it undoes: what is not undone stays done", async () => {
    const e = engineOn(server);
    await e.save(
      orderSaga("stuck-undo", {
        refund: {
          with: {
            command: ["sh", "-c", 'echo refund >> "$1"; exec sleep 30', "x", "${params.log}"],
          },
        },
      }),
    );
    const log = newLog();
    const id = await e.engine.startRun("stuck-undo", { log, fail: "ship" });
    const worker = new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 });
    const finished = worker.run();
    await until("the refund to start", 10_000, () => lines(log).includes("refund"), 20);
    expect((await e.engine.status(id)).fields.status).toBe("compensating");
    expect(await e.engine.cancelRun(id, "give up")).toBe("stopped undoing");
    await finished;
    const record = await e.engine.status(id);
    expect(record.fields.status).toBe("compensation_failed");
    expect(record.fields.reason).toMatch(
      /; undoing cancelled by ada: give up; not undone: reserve, charge$/,
    );
    expect(record.nodes.charge!.status).toBe("succeeded");
    expect(record.nodes.refund!.status).toBe("cancelled");
    expect(lines(log)).not.toContain("release");
  });

  it("cancels without undoing unless asked", async () => {
    const e = engineOn(server);
    const spec = orderSaga("cancel-plain");
    spec.nodes[2] = {
      id: "ship",
      kind: "task",
      handler: "shell",
      with: { command: ["sh", "-c", 'echo ship >> "$1"; exec sleep 30', "x", "${params.log}"] },
    };
    await e.save(spec);
    const log = newLog();
    const id = await e.engine.startRun("cancel-plain", { log });
    const worker = new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 });
    const finished = worker.run();
    await until("ship to start", 10_000, () => lines(log).includes("ship"), 20);
    await e.engine.cancelRun(id, "");
    await finished;
    expect((await e.engine.status(id)).fields.status).toBe("cancelled");
    expect(lines(log)).toEqual(["reserve", "charge", "ship"]);
  });

  it("lets a shell exit code listed in retries.abortOn abort the run: no retry, no next step, compensations run", async () => {
    const e = engineOn(server);
    const spec = orderSaga("abort");
    spec.nodes[1] = {
      id: "charge",
      kind: "task",
      ...step("charge"),
      compensation: "refund",
      continueOnFailure: true,
    };
    spec.nodes[2] = {
      id: "ship",
      kind: "task",
      handler: "shell",
      with: { command: ["sh", "-c", 'echo ship >> "$1"; exit 42', "x", "${params.log}"] },
      retries: { max: 3, initial: "10ms", abortOn: [42] },
      continueOnFailure: true,
      compensation: "unship",
    };
    spec.nodes.push({
      id: "notify",
      kind: "task",
      ...step("notify"),
    });
    spec.edges.push({ from: "ship", to: "notify" });
    await e.save(spec);
    const log = newLog();
    const { record } = await e.runToEnd("abort", { log });
    expect(lines(log)).toEqual(["reserve", "charge", "ship", "refund", "release"]);
    expect(record.fields.status).toBe("compensated");
    expect(record.fields.reason).toContain("node ship aborted the run");
    expect(record.nodes.ship).toMatchObject({ status: "failed", attempt: 1 });
    expect(record.nodes.notify!.status).toBe("cancelled");
  });

  it("lets a module abort the run by throwing an error named AbortRun", async () => {
    const modules = mkdtempSync(join(tmpdir(), "weft-saga-mod-"));
    const before = process.env.WEFT_MODULE_PATH;
    process.env.WEFT_MODULE_PATH = modules;
    try {
      writeFileSync(
        join(modules, "pay.mjs"),
        "export default async () => { const e = new Error('card stolen'); e.name = 'AbortRun'; throw e; };\n",
      );
      const e = engineOn(server);
      const spec = orderSaga("module-abort");
      spec.nodes[1] = {
        id: "charge",
        kind: "task",
        handler: "module",
        with: { path: join(modules, "pay.mjs") },
        retries: { max: 3, initial: "10ms" },
        compensation: "refund",
      };
      await e.save(spec);
      const log = newLog();
      const { record } = await e.runToEnd("module-abort", { log });
      expect(record.fields.status).toBe("compensated");
      expect(record.fields.reason).toContain("node charge aborted the run: card stolen");
      expect(record.nodes.charge).toMatchObject({ status: "failed", attempt: 1 });
      expect(lines(log)).toEqual(["reserve", "release"]);
    } finally {
      if (before === undefined) delete process.env.WEFT_MODULE_PATH;
      else process.env.WEFT_MODULE_PATH = before;
      rmSync(modules, { recursive: true, force: true });
    }
  });

  it("retries a compensated run from the start of what was undone", async () => {
    const e = engineOn(server);
    await e.save(orderSaga("again"));
    const log = newLog();
    const { id } = await e.runToEnd("again", { log, fail: "ship" });
    // The failure was the parameter's: a retry runs the same params, so ship fails again and
    // the saga is undone a second time, from the tasks of this attempt.
    await e.engine.retryRun(id);
    const worker = new Worker(e.engine, server.client(), { onlyRun: id, concurrency: 2 });
    await worker.run();
    const record = await e.engine.status(id);
    expect(record.fields.status).toBe("compensated");
    expect(lines(log)).toEqual([
      ...["reserve", "charge", "ship", "refund", "release"],
      ...["reserve", "charge", "ship", "refund", "release"],
    ]);
  });

  it("runs examples/order-saga.yaml as its comment says", async () => {
    const e = engineOn(server);
    await e.save(parse(readFileSync("examples/order-saga.yaml", "utf8")));
    const { record } = await e.runToEnd("order-saga", { order_id: "A-1", fail_step: "ship" });
    expect(record.fields.status).toBe("compensated");
    // One at a time, the last done first: the refund had finished when the release started.
    expect(record.nodes.release_inventory!.start).toBeGreaterThanOrEqual(
      record.nodes.refund_payment!.end!,
    );
    expect(states(record)).toMatchObject({
      ship_order: "failed",
      charge_payment: "compensated",
      reserve_inventory: "compensated",
    });
    expect(record.nodes.cancel_shipment).toBeUndefined();
    const ok = await e.runToEnd("order-saga", { order_id: "A-2" });
    expect(ok.record.fields.status).toBe("succeeded");
  });
});
