/**
 * The transition table is the scripts' truth: every node and run in a real run's event stream
 * (branches skipped, retries with backoff, a failure that stops the run, a rerun from scratch)
 * moves only as `canTransition` allows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../src/engine/index.js";
import {
  canTransition,
  isNodeStatus,
  isRunLevel,
  type NodeStatus,
  type RunStatus,
  runEventKind,
} from "../../src/model/run-model.js";
import { RunEvents } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

/** Moves the stream makes that the model does not allow, as "node: from -> to". */
async function illegalMoves(events: RunEvents, id: string): Promise<string[]> {
  const { events: all } = await events.read(id);
  const nodes = new Map<string, NodeStatus>();
  let run: RunStatus | undefined;
  const illegal: string[] = [];
  for (const e of all) {
    if (isRunLevel(e)) {
      const kind = runEventKind(e);
      // An operator's retry puts a finished run back to running.
      const to: RunStatus = kind === "retrying" ? "running" : kind;
      if (run !== undefined && !canTransition(run, to, "run")) illegal.push(`run: ${run} -> ${to}`);
      run = to;
      // A retry resets the nodes to run again to pending, without an event each: any final
      // node may be one of them.
      if (kind === "retrying")
        for (const [node, status] of nodes)
          if (canTransition(status, "pending")) nodes.set(node, "pending");
      continue;
    }
    // Released and expired attempts go back to their queue.
    const to: NodeStatus = isNodeStatus(e.status) ? e.status : "queued";
    const from = nodes.get(e.node) ?? "pending";
    if (from !== to && !canTransition(from, to)) illegal.push(`${e.node}: ${from} -> ${to}`);
    nodes.set(e.node, to);
  }
  expect(all.length).toBeGreaterThan(0);
  return illegal;
}

describe("runs move as the model allows", () => {
  it("through branches, retries, a failure and a rerun from scratch", async () => {
    const e = engineOn(server);
    const marker = `${server.dir}/transitions`;
    await e.save({
      name: "moves",
      nodes: [
        { id: "gate", kind: "decision", condition: "true" },
        { id: "yes", kind: "task", handler: "noop" },
        { id: "no", kind: "task", handler: "noop" },
        {
          id: "flaky",
          kind: "task",
          handler: "shell",
          with: { command: `echo x >> ${marker}; test $(wc -l < ${marker}) -ge 2`, shell: true },
          retries: { max: 3, initial: "10ms" },
        },
        { id: "last", kind: "task", handler: "fail" },
        { id: "never", kind: "task", handler: "noop" },
      ],
      edges: [
        { from: "gate", to: "yes", condition: true },
        { from: "gate", to: "no", condition: false },
        { from: "yes", to: "flaky" },
        { from: "no", to: "flaky" },
        { from: "flaky", to: "last" },
        { from: "last", to: "never" },
      ],
    });
    const { id, record } = await e.runToEnd("moves");
    expect(record.fields.status).toBe("failed");
    await e.engine.retryRun(id, { fromScratch: true });
    await new Worker(e.engine, server.client(), { onlyRun: id }).run();
    expect(await illegalMoves(new RunEvents(server.redis, e.keys), id)).toEqual([]);
  });

  it("through a cancel while a node runs", async () => {
    const e = engineOn(server);
    await e.save({
      name: "stopped",
      nodes: [
        { id: "slow", kind: "task", handler: "sleep", with: { duration: "5s" } },
        { id: "after", kind: "task", handler: "noop" },
      ],
      edges: [{ from: "slow", to: "after" }],
    });
    const id = await e.engine.startRun("stopped", {});
    const worker = new Worker(e.engine, server.client(), { onlyRun: id });
    const running = worker.run();
    const events = new RunEvents(server.redis, e.keys);
    for (let i = 0; i < 200; i++) {
      const { events: seen } = await events.read(id);
      if (seen.some((ev) => ev.node === "slow" && ev.status === "running")) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await e.engine.cancelRun(id, "enough");
    await running;
    expect(await illegalMoves(events, id)).toEqual([]);
  });
});
