/**
 * A worker: takes hints of runs with ready work, claims nodes in batches under a lease, runs
 * them, and reports outcomes in batches. Any number of workers on any number of machines share
 * one Redis; a worker that dies loses its leases and its nodes run again elsewhere.
 *
 * Round trips are what a worker waits on, so it makes few. Its pump sends one exchange at a time
 * (two at most): every completion reported since the last one and claims for every run it knows
 * has ready nodes, one script per run, in one round trip; whatever arrives meanwhile waits for
 * the next, so batches grow with the load instead of splitting into many small ones.
 * Bookkeeping that nothing waits on (hints, the sweep index) goes beside.
 */
import type { Claimed, Completion, StoreHandle } from "../store/index.js";
import { runChild } from "./child-run.js";
import type { Engine, LoadedRun } from "./engine.js";
import { executeNode, type Outcome, TimeoutError } from "./execute.js";
import { type HeldNode, LeaseKeeper } from "./leases.js";
import { NodeLog } from "./node-log.js";
import { retryDelayMs } from "./plan.js";
import { allot, releasable } from "./slots.js";
import { sweepDueRuns } from "./sweep.js";

export interface WorkerEvent {
  run: string;
  node: string;
  attempt: number;
  status: "running" | "succeeded" | "failed" | "retrying" | "stale";
  error?: string;
  ms?: number;
}

/** Why a node's signal aborts when its worker stops: the node is handed back, not failed. */
export class ShutdownError extends Error {
  constructor() {
    super("the worker is shutting down");
  }
}

export interface WorkerOptions {
  queues?: string[];
  concurrency?: number;
  leaseMs?: number;
  id?: string;
  /** Drive this run only (`weft run --wait`): no hints, stop when it finishes. */
  onlyRun?: string;
  onEvent?: (e: WorkerEvent) => void;
  /** How often due retries and expired leases are looked for. */
  sweepMs?: number;
  random?: () => number;
}

/** A run's queue to claim from: popped from the hints, or seen in an earlier reply. */
interface Target {
  id: string;
  queue: string;
  /** How many nodes were ready there when last seen; unknown for a hint. */
  ready?: number;
}

const key = (t: { id: string; queue: string }) => `${t.id}\t${t.queue}`;

/** Exchanges in flight at once: a second overlaps the worker's work with Redis's. */
const MAX_IN_FLIGHT = 2;
/** Ready nodes this worker has no room for this long are hinted to the others. */
const HAND_OFF_MS = 20;
/** How long a finished run may wait for an exchange to take it off the sweep's index. */
const FINISHED_DELAY_MS = 100;

export class Worker {
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly leaseMs: number;
  readonly id: string;
  /** Slots taken: nodes running, and slots set aside for claims on their way. */
  private active = 0;
  private stopping = false;
  private waiters: (() => void)[] = [];
  private readonly controllers = new Set<AbortController>();
  private readonly leases: LeaseKeeper;
  /** Completions not sent yet, by run. */
  private readonly completions = new Map<string, Completion[]>();
  /** Runs' queues with ready nodes this worker means to claim, and since when. */
  private readonly targets = new Map<string, Target & { since: number }>();
  private inFlight = 0;
  private pumpQueued = false;
  private handOffTimer: NodeJS.Timeout | undefined;
  /** Redis calls nothing waits on (hints, bookkeeping, exchanges). */
  private readonly background = new Set<Promise<unknown>>();
  private lastSweep = 0;
  /** Runs seen finished, taken off the sweep's index with the next exchange (or soon after). */
  private finishedRuns: string[] = [];
  private finishedTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    /** A connection of its own for blocking pops (BLMPOP holds it while it waits). */
    private readonly blocking: StoreHandle,
    private readonly options: WorkerOptions = {},
  ) {
    this.queues = options.queues ?? ["default"];
    this.concurrency = options.concurrency ?? 8;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.id = options.id ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.leases = new LeaseKeeper(engine.runs, this.leaseMs, () => engine.now());
  }

  private stopDeadline = Number.POSITIVE_INFINITY;
  private stopped: Promise<void> | undefined;

  /** Stop taking work; running nodes get `graceMs` to finish, the rest are handed back. */
  stop(graceMs = 30_000): Promise<void> {
    this.stopDeadline = Math.min(this.stopDeadline, Date.now() + graceMs);
    this.stopped ??= this.shutDown();
    this.changed();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    this.changed();
    // A second stop() with a shorter grace (a second Ctrl-C) shortens this wait.
    while (this.active > 0 && Date.now() < this.stopDeadline)
      await new Promise((r) => setTimeout(r, 20));
    const deadline = this.stopDeadline;
    // What has not finished by now is handed back and runs again on another worker.
    for (const c of this.controllers) c.abort(new ShutdownError());
    while (this.active > 0 && Date.now() < deadline + 5_000)
      await new Promise((r) => setTimeout(r, 20));
    await this.settled();
    // Ready nodes seen but not taken: the other workers hear of them.
    this.handOff(0);
    const finished = this.takeFinished();
    if (finished.length > 0) this.inBackground(this.engine.runs.schedule({ finished }));
    await this.settled();
    if (!this.options.onlyRun) await this.engine.workers.leave(this.id, this.queues);
  }

  /** Waits until every completion is sent and every Redis call this worker made is back. */
  private async settled(): Promise<void> {
    while (
      this.completions.size > 0 ||
      this.pumpQueued ||
      this.background.size > 0 ||
      this.sweeping
    ) {
      if (this.completions.size > 0 || this.pumpQueued) await new Promise(setImmediate);
      await Promise.allSettled([this.sweeping, ...this.background]);
    }
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private get free(): number {
    return this.stopping ? 0 : Math.max(0, this.concurrency - this.active);
  }

  /** Wakes whoever waits for a slot, an exchange or a stop. */
  private changed() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves at the next change, or after `ms`. */
  private nextChange(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Gives back `n` slots. */
  private freeSlots(n: number) {
    this.active -= n;
    this.changed();
    if (n > 0 && this.targets.size > 0) this.pump();
  }

  /** Works until `stop()`, or until the one run it drives has finished. */
  async run(): Promise<void> {
    while (!this.stopping) {
      if (this.options.onlyRun) {
        if (!(await this.driveOne(this.options.onlyRun))) break;
        continue;
      }
      if (Date.now() - this.lastSweep > (this.options.sweepMs ?? 250)) this.sweep();
      // No free slot, or known work the pump will take: wait (at most as long as a sweep).
      const free = this.free;
      if (free <= 0 || this.targets.size > 0) {
        await this.nextChange(this.options.sweepMs ?? 250);
        continue;
      }
      const popped = await this.engine.workers.waitForHints(
        this.blocking,
        this.queues,
        free,
        "0.2",
      );
      if (!popped) continue;
      const queue = popped.queue;
      for (const id of new Set(popped.runs)) this.keep({ id, queue });
      this.pump();
    }
    await this.settled();
    await this.stopped;
  }

  /** One step of driving a single run; false once the run has finished. */
  private async driveOne(runId: string): Promise<boolean> {
    const run = await this.engine.load(runId);
    const promoted = await this.engine.runs.promote(runId, run.queues, this.engine.now());
    if (promoted.status !== "queued" && promoted.status !== "running" && this.active === 0)
      return false;
    const claimed =
      this.free > 0
        ? await this.exchange(
            [],
            run.queues.map((queue) => ({ id: runId, queue })),
          )
        : 0;
    if (claimed === 0) {
      const waitMs =
        promoted.nextDue > 0
          ? Math.min(200, Math.max(5, promoted.nextDue - this.engine.now()))
          : 10;
      await this.nextChange(waitMs);
    }
    return true;
  }

  /** Known ready work, claimed by the next exchange (or hinted if this worker has no room soon). */
  private keep(t: Target) {
    const k = key(t);
    const before = this.targets.get(k);
    this.targets.set(k, {
      ...t,
      ready: t.ready ?? before?.ready,
      since: before?.since ?? Date.now(),
    });
    this.handOffTimer ??= setTimeout(() => {
      this.handOffTimer = undefined;
      this.handOff(HAND_OFF_MS);
    }, HAND_OFF_MS);
  }

  /** Ready work kept `olderThan` ms without room for it goes to the hints for any worker. */
  private handOff(olderThan: number) {
    const now = Date.now();
    const hints: Target[] = [];
    for (const [k, t] of this.targets)
      if (now - t.since >= olderThan) {
        hints.push(t);
        this.targets.delete(k);
      }
    this.notify({ hints });
    if (this.targets.size > 0 && !this.stopping)
      this.handOffTimer ??= setTimeout(() => {
        this.handOffTimer = undefined;
        this.handOff(HAND_OFF_MS);
      }, HAND_OFF_MS);
  }

  /** Sends what is waiting (completions, claims of known work) once this turn of the loop ends. */
  private pump() {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      if (this.inFlight >= MAX_IN_FLIGHT) return;
      if (this.completions.size === 0 && (this.targets.size === 0 || this.free === 0)) return;
      const batches = [...this.completions];
      this.completions.clear();
      const targets = this.free > 0 ? [...this.targets.values()] : [];
      for (const t of targets) this.targets.delete(key(t));
      this.inFlight++;
      this.inBackground(
        this.exchange(batches, targets).finally(() => {
          this.inFlight--;
          this.changed();
          this.pump();
        }),
      );
    });
  }

  /** The queues this worker takes a run's nodes from. */
  private serves(run: LoadedRun): string[] {
    return this.options.onlyRun ? run.queues : run.queues.filter((q) => this.queues.includes(q));
  }

  /**
   * One round trip: these completions (each run's script also leasing ready nodes of that run to
   * this worker) and claims from these runs' queues, with the free slots shared out. Ready nodes
   * seen left are kept for the next exchange. Returns how many nodes it started.
   */
  private async exchange(batches: [string, Completion[]][], targets: Target[]): Promise<number> {
    let reserved = 0;
    let started = 0;
    const hints: Target[] = [];
    const finished: string[] = [];
    const leftover: Target[] = [];
    try {
      const runs = await Promise.all(batches.map(([runId]) => this.engine.load(runId)));
      // A completing run claims through its own script: what was known of it counts there.
      const completing = new Map(batches.map(([runId], i) => [runId, i]));
      const extra = batches.map(() => 0);
      const claims: Target[] = [];
      for (const t of targets) {
        const i = completing.get(t.id);
        if (i === undefined) claims.push(t);
        else extra[i]! += t.ready ?? 1;
      }
      const split = allot(this.free, [
        ...batches.map(([, done], i) => releasable(runs[i]!.plan, done) + extra[i]!),
        ...claims.map((t) => t.ready),
      ]);
      reserved = split.reduce((a, b) => a + b, 0);
      this.active += reserved;
      const claimSplit = split.slice(batches.length);
      const claiming = claims.filter((_, i) => claimSplit[i]! > 0);
      const maxes = claimSplit.filter((n) => n > 0);
      // No room for these now: kept for the next exchange.
      claims.forEach((t, i) => {
        if (claimSplit[i] === 0) leftover.push(t);
      });
      const loaded = claiming.map((t) => this.engine.loadedRun(t.id));
      const now = this.engine.now();
      const forget = this.takeFinished();
      const { completed, claimed } = await this.engine.runs.exchange(
        batches.map(([runId, done], i) => ({
          id: runId,
          queues: runs[i]!.queues,
          done,
          claim: { max: split[i]!, queues: this.serves(runs[i]!) },
        })),
        claiming.map((t, i) => ({
          id: t.id,
          queues: loaded[i]?.queues ?? [t.queue],
          queue: t.queue,
          max: maxes[i]!,
          withInfo: !loaded[i],
        })),
        this.leaseMs,
        this.id,
        now,
        forget,
      );
      for (const [i, result] of completed.entries()) {
        const [runId, done] = batches[i]!;
        // Reporting failed: the leases lapse and these nodes run again elsewhere.
        if (result instanceof Error) continue;
        if (result.stale > 0)
          for (const d of done)
            this.options.onEvent?.({ run: runId, node: d.node, attempt: 0, status: "stale" });
        for (const c of result.claimed) this.startNode(runs[i]!, c, result.runAttempt);
        started += result.claimed.length;
        for (const l of result.left) leftover.push({ id: runId, ...l });
        if (result.status !== "running" && result.status !== "queued") finished.push(runId);
      }
      for (const [i, result] of claimed.entries()) {
        const target = claiming[i]!;
        if (result instanceof Error) {
          hints.push(target);
          continue;
        }
        if (result.left > 0) leftover.push({ ...target, ready: result.left });
        if (result.claimed.length === 0) continue;
        let run = loaded[i];
        try {
          run ??= await this.engine.loadFrom(target.id, result.info!);
        } catch {
          // The run's version cannot be read: give its nodes back rather than sit on them.
          for (const c of result.claimed)
            this.inBackground(
              this.engine.runs.release(target.id, [target.queue], c.node, c.token, now),
            );
          continue;
        }
        for (const c of result.claimed) this.startNode(run, c, result.runAttempt);
        started += result.claimed.length;
      }
    } catch (cause) {
      // Nothing came back: what was to be claimed goes back to the hints for whoever can.
      hints.push(...targets);
      throw cause;
    } finally {
      this.notify({ hints, finished });
      this.freeSlots(reserved - started);
    }
    // Left over on this worker's queues: kept for the next exchange; on other queues: hinted.
    const others: Target[] = [];
    for (const l of leftover) {
      if (this.options.onlyRun || this.queues.includes(l.queue)) this.keep(l);
      else others.push(l);
    }
    this.notify({ hints: others });
    if (this.targets.size > 0) this.pump();
    return started;
  }

  /** Hints and the sweep's index, sent without holding anything up. */
  private notify(notes: {
    hints?: Target[];
    lookAt?: { id: string; when: number }[];
    finished?: string[];
  }) {
    const hints = (notes.hints ?? []).map(({ id, queue }) => ({ id, queue }));
    if (this.options.onlyRun) {
      if (hints.length > 0) this.changed();
      return;
    }
    if (notes.finished?.length) {
      // Nothing waits for this: it rides with the next exchange, or goes on its own shortly.
      this.finishedRuns.push(...notes.finished);
      this.finishedTimer ??= setTimeout(() => {
        this.finishedTimer = undefined;
        this.notify({});
      }, FINISHED_DELAY_MS);
    }
    const finished = this.finishedTimer === undefined ? this.takeFinished() : [];
    if (!hints.length && !notes.lookAt?.length && !finished.length) return;
    this.inBackground(this.engine.runs.schedule({ hints, lookAt: notes.lookAt, finished }));
  }

  /** The finished runs not yet taken off the sweep's index (the caller sends them). */
  private takeFinished(): string[] {
    clearTimeout(this.finishedTimer);
    this.finishedTimer = undefined;
    return this.finishedRuns.splice(0);
  }

  private startNode(run: LoadedRun, claim: Claimed, runAttempt: number) {
    const { node: nodeId, attempt, token } = claim;
    const planNode = run.plan.nodes.get(nodeId)!;
    const controller = new AbortController();
    this.controllers.add(controller);
    const held: HeldNode = { run: run.id, node: nodeId, token, controller };
    this.leases.hold(held);
    const started = Date.now();
    this.options.onEvent?.({ run: run.id, node: nodeId, attempt, status: "running" });
    const timeout = setTimeout(
      () => controller.abort(new TimeoutError(planNode.timeoutMs)),
      planNode.timeoutMs,
    );
    // Most nodes never log: the log's writer is made on the first line.
    let log: NodeLog | undefined;
    const outcome = executeNode(planNode, {
      plan: run.plan,
      scope: run.scope,
      attempt,
      idempotencyKey: `${run.id}:${nodeId}:${attempt}`,
      signal: controller.signal,
      log: (text) => {
        log ??= new NodeLog(this.engine.events, run.id, nodeId);
        log.write(text);
      },
      runChild: (ref, params, signal) =>
        runChild(
          this.engine,
          run,
          nodeId,
          attempt,
          ref,
          params,
          signal,
          // Driving a single run here: its children run here too.
          this.options.onlyRun
            ? (id) => new Worker(this.engine, this.blocking, { ...this.options, onlyRun: id }).run()
            : undefined,
        ),
      values: async () => {
        const [outputs, states] = await Promise.all([
          this.engine.runs.outputs(run.id),
          this.engine.runs.nodes(run.id),
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
    });
    const reported = outcome
      .then(async (result) => {
        clearTimeout(timeout);
        this.leases.drop(held);
        this.controllers.delete(controller);
        // The handler is done: its slot is free; the outcome goes with the next exchange.
        this.freeSlots(1);
        await log?.close();
        if (controller.signal.reason instanceof ShutdownError) {
          await this.engine.runs.release(run.id, run.queues, nodeId, token, this.engine.now());
          return;
        }
        await this.report(run, nodeId, attempt, token, result, Date.now() - started);
      })
      .catch(() => {
        // Reporting failed (Redis gone): the lease lapses and the node runs again elsewhere.
      });
    this.inBackground(reported);
  }

  private async report(
    run: LoadedRun,
    node: string,
    attempt: number,
    token: number,
    result: Outcome,
    ms: number,
  ) {
    if (result.ok) {
      const batch = this.completions.get(run.id) ?? [];
      batch.push({ node, token, output: result.output, taken: result.taken });
      this.completions.set(run.id, batch);
      this.options.onEvent?.({ run: run.id, node, attempt, status: "succeeded", ms });
      this.pump();
      return;
    }
    const p = run.plan.nodes.get(node)!;
    const retry = result.retryable && attempt <= p.retries.max;
    const mode = retry ? "retry" : p.continueOnFailure ? "continue" : "fail";
    const due =
      this.engine.now() +
      (retry ? retryDelayMs(p.retries, attempt, (this.options.random ?? Math.random)()) : 0);
    const error = result.code === undefined ? result.error : `${result.error} [${result.code}]`;
    const answer = await this.engine.runs.fail(
      run.id,
      run.queues,
      node,
      token,
      error,
      mode,
      due,
      this.engine.now(),
    );
    this.options.onEvent?.({
      run: run.id,
      node,
      attempt,
      status: answer.stale ? "stale" : retry ? "retrying" : "failed",
      error,
      ms,
    });
    const finished = answer.status !== "running" && answer.status !== "queued";
    this.notify({
      hints: answer.touched.map((queue) => ({ id: run.id, queue })),
      // Look at the run when the retry is due (an earlier look stays).
      lookAt: retry ? [{ id: run.id, when: due }] : [],
      finished: !answer.stale && finished ? [run.id] : [],
    });
  }

  /** Due retries and expired leases of active runs go back to their ready lists (beside the loop). */
  private sweep() {
    if (this.sweeping) return;
    this.lastSweep = Date.now();
    this.sweeping = (async () => {
      const now = this.engine.now();
      // Tells `weft run --wait` that someone serves these queues.
      await this.engine.workers.heartbeat(this.id, this.queues, now);
      await sweepDueRuns(this.engine, now, (id, queues) =>
        this.notify({ hints: queues.map((queue) => ({ id, queue })) }),
      );
    })()
      .catch(() => {
        // Redis unreachable for a moment: the next sweep tries again.
      })
      .finally(() => {
        this.sweeping = undefined;
      });
  }
}
