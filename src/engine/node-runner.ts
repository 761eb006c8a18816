/**
 * Starting a claimed node: its lease held and renewed, its timeout, its log, its handler run, and
 * its outcome handed to the batcher (a failure with its retry decided). A node whose worker stops
 * is handed back for another worker instead.
 */
import { mapItemOf } from "../model/run-model.js";
import type { Claimed } from "../store/index.js";
import type { Batcher } from "./batcher.js";
import { runChild } from "./child-run.js";
import type { LoadedRun } from "./engine.js";
import { executeNode, type Outcome, TimeoutError } from "./execute.js";
import { parseOutput } from "./handlers/index.js";
import { type HeldNode, LeaseKeeper } from "./leases.js";
import { NodeLog } from "./node-log.js";
import type { Notices } from "./notices.js";
import { persist } from "./outage.js";
import { decideFailure, type FailureDecision, goesOnPast } from "./retry-policy.js";
import type { WorkerContext } from "./worker-context.js";
import { ShutdownError } from "./worker-options.js";

/** How long a node waiting under its `concurrency` waits before it asks for a place again. */
const PARK_LOOK_AGAIN_MS = 5_000;

export class NodeRunner {
  private readonly controllers = new Set<AbortController>();
  private readonly leases: LeaseKeeper;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly batcher: Batcher,
    private readonly notices: Notices,
    private readonly random: () => number,
    /** Drives a child run in this process (when driving a single run); else workers take it. */
    private readonly driveChild: ((id: string) => Promise<void>) | undefined,
  ) {
    this.leases = new LeaseKeeper(ctx.engine.runs, ctx.leaseMs, () => ctx.clock.now());
  }

  private readonly items = new Map<string, Promise<unknown[]>>();

  /** A map node's items (read once per run attempt: they never change within one). */
  private itemsOf(run: LoadedRun, node: string, runAttempt: number): Promise<unknown[]> {
    const key = `${run.id}|${node}|${runAttempt}`;
    let items = this.items.get(key);
    if (!items) {
      if (this.items.size >= 64) this.items.delete(this.items.keys().next().value!);
      items = this.ctx.engine.runs.mapItems(run.id, node);
      items.catch(() => this.items.delete(key));
      this.items.set(key, items);
    }
    return items;
  }

  /** Aborts every running node: what has not finished is handed back. */
  handBackAll(): void {
    for (const c of this.controllers) c.abort(new ShutdownError());
  }

  start(run: LoadedRun, claim: Claimed, runAttempt: number): void {
    const limit = run.plan.nodes.get(mapItemOf(claim.node).base)!.concurrency;
    if (limit === undefined) {
      this.begin(run, claim, runAttempt);
      return;
    }
    const placed = this.takePlace(run, claim, limit).then(
      (go) => {
        if (go) this.begin(run, claim, runAttempt, limit);
        else this.batcher.giveSlots(1);
      },
      () => {
        // Redis unreachable: the node goes back to its queue rather than run without a place.
        this.batcher.giveSlots(1);
        const { engine, clock } = this.ctx;
        return engine.runs
          .release(run.id, run.queues, claim.node, claim.token, clock.now())
          .catch(() => undefined);
      },
    );
    this.ctx.background.add(placed);
  }

  /**
   * A node with `concurrency` runs only on a place of its gate; with none free it waits, parked
   * in its run, until a place is given back (or, as a safety net, it asks again every little
   * while). Whether to run it now.
   */
  private async takePlace(run: LoadedRun, claim: Claimed, limit: number): Promise<boolean> {
    const { engine, clock, leaseMs } = this.ctx;
    const base = mapItemOf(claim.node).base;
    const member = { member: `${run.id}|${claim.node}` };
    if (await engine.nodeGate(run.version.name, base, limit, leaseMs, member)) return true;
    const lookAgain = clock.now() + PARK_LOOK_AGAIN_MS;
    const parked = await engine.runs.park(
      run.id,
      run.queues,
      claim.node,
      claim.token,
      clock.now(),
      lookAgain,
    );
    if (parked === "parked") this.notices.send({ lookAt: [{ id: run.id, when: lookAgain }] });
    return parked === "placed";
  }

  private begin(run: LoadedRun, claim: Claimed, runAttempt: number, limit?: number): void {
    const { engine, clock } = this.ctx;
    const { node: nodeId, attempt, token } = claim;
    // A map's item "<node>#<i>" runs its node's handler on item i.
    const { base, index } = mapItemOf(nodeId);
    const planNode = run.plan.nodes.get(base)!;
    const controller = new AbortController();
    this.controllers.add(controller);
    const member = `${run.id}|${nodeId}`;
    const place =
      limit === undefined
        ? undefined
        : (asker: { member: string; renew: true } | undefined, done: string[] = []) =>
            engine.nodeGate(run.version.name, base, limit, this.ctx.leaseMs, asker, done);
    const held: HeldNode = {
      run: run.id,
      node: nodeId,
      token,
      controller,
      ...(place ? { renewPlace: () => place({ member, renew: true }) } : {}),
    };
    this.leases.hold(held);
    const started = clock.now();
    this.ctx.emit?.({ run: run.id, node: nodeId, attempt, status: "running" });
    const timeout = setTimeout(
      () => controller.abort(new TimeoutError(planNode.timeoutMs)),
      planNode.timeoutMs,
    );
    // Most nodes never log: the log's writer is made on the first line.
    let log: NodeLog | undefined;
    const notes: string[] = [];
    const context: Parameters<typeof executeNode>[1] = {
      plan: run.plan,
      scope: run.scope,
      attempt,
      idempotencyKey: `${run.id}:${nodeId}:${attempt}`,
      signal: controller.signal,
      log: (text) => {
        log ??= new NodeLog(
          engine.events,
          run.id,
          nodeId,
          planNode.outputCaps.stdout + planNode.outputCaps.stderr,
        );
        log.write(text);
      },
      note: (text) => notes.push(text),
      cache: (request, compute) =>
        engine.taskCache.remember({ ...request, run: run.id, signal: controller.signal }, compute),
      runChild: (ref, params, signal) =>
        runChild(engine, run, nodeId, attempt, ref, params, signal, this.driveChild),
      values: async () => {
        const [outputs, states] = await Promise.all([
          engine.runs.outputs(run.id, run.scope.nodeIds),
          engine.runs.nodes(run.id, run.scope.nodeIds),
        ]);
        const nodes: Record<string, { output?: unknown; status?: string; attempts?: number }> = {};
        for (const id of run.scope.nodeIds)
          nodes[id] = {
            output: outputs[id],
            status: states[id]?.status,
            attempts: states[id]?.attempt ?? 0,
          };
        const version = run.version;
        return {
          params: run.params,
          nodes,
          run: {
            id: run.id,
            workflow: version.name,
            version: version.version,
            attempt: runAttempt,
          },
        };
      },
    };
    const outcome =
      index === undefined
        ? executeNode(planNode, context)
        : this.itemsOf(run, base, runAttempt).then((items) =>
            index < items.length
              ? executeNode(planNode, context, { item: items[index], index })
              : ({ ok: false, error: `the map has no item ${index}`, retryable: false } as const),
          );
    const reported = outcome
      .then(async (handled) => {
        clearTimeout(timeout);
        this.leases.drop(held);
        this.controllers.delete(controller);
        // The handler is done: its slot is free; the outcome goes with the next exchange.
        this.batcher.giveSlots(1);
        await log?.close();
        if (controller.signal.reason instanceof ShutdownError) {
          await persist(
            () => engine.runs.release(run.id, run.queues, nodeId, token, clock.now()),
            this.ctx.givingUp,
          );
          return;
        }
        const settled = this.settle(run, nodeId, attempt, handled, notes);
        const { result } = settled;
        // What was cut is kept beside the node; a later attempt that cut nothing clears it.
        if (notes.length > 0 || attempt > 1 || runAttempt > 1)
          await engine.runs
            .noteNode(run.id, nodeId, notes.length > 0 ? notes.join("; ") : undefined)
            .catch(() => undefined);
        // So is whether the output came from the cache.
        const cached = result.ok && result.cached === true;
        if (cached || ((attempt > 1 || runAttempt > 1) && planNode.node.kind === "task"))
          await engine.runs.markCached(run.id, nodeId, cached).catch(() => undefined);
        this.report(run, nodeId, attempt, token, settled, clock.now() - started);
      })
      .catch(() => {
        // Not handed back (Redis gone past the stop's deadline): the lease lapses instead.
      })
      // The handler is done: its place goes to the next in line (unrenewed, it would lapse).
      .then(() => place?.(undefined, [member]))
      .catch(() => undefined);
    this.ctx.background.add(reported);
  }

  /**
   * A failure's fate (retry, go on, fail, abort). One that goes on under `continueOn.markSuccess`
   * becomes a success with what it printed as its output, and a note says why.
   */
  private settle(
    run: LoadedRun,
    node: string,
    attempt: number,
    result: Outcome,
    notes: string[],
  ): Settled {
    if (result.ok) return { result };
    const p = run.plan.nodes.get(mapItemOf(node).base)!;
    const decision = decideFailure({
      retryable: result.retryable,
      abort: result.abort === true,
      attempt,
      policy: p.retries,
      continueOnFailure: goesOnPast(p, result),
      now: this.ctx.clock.now(),
      random: this.random(),
    });
    if (decision.mode !== "continue" || !p.continueOn?.markSuccess) return { result, decision };
    notes.push(`${result.error}: marked succeeded (continueOn.markSuccess)`);
    const output = result.stdout === undefined ? null : parseOutput(result.stdout);
    return { result: { ok: true, output, taken: "all" } };
  }

  private report(
    run: LoadedRun,
    node: string,
    attempt: number,
    token: number,
    settled: Settled,
    ms: number,
  ) {
    if ("decision" in settled) {
      const { result, decision } = settled;
      this.batcher.fail({ run, node, attempt, token, error: failureText(result), decision, ms });
      return;
    }
    const { result } = settled;
    this.batcher.complete(run.id, {
      node,
      token,
      output: result.output,
      taken: result.taken,
      ...(result.waitUntil === undefined ? {} : { waitUntil: result.waitUntil }),
      ...(result.cached ? { cached: true } : {}),
      ...(result.map ? { map: result.map } : {}),
    });
    this.ctx.emit?.({ run: run.id, node, attempt, status: "succeeded", ms });
  }
}

type Failed = { result: Extract<Outcome, { ok: false }>; decision: FailureDecision };
type Settled = { result: Extract<Outcome, { ok: true }> } | Failed;

const failureText = (r: Failed["result"]) =>
  r.code === undefined ? r.error : `${r.error} [${r.code}]`;
