/**
 * A worker: takes hints of runs with ready work, claims nodes in batches under a lease, runs
 * them, and reports outcomes in batches. Any number of workers on any number of machines share
 * one Redis; a worker that dies loses its leases and its nodes run again elsewhere.
 *
 * Round trips are what a worker waits on, so it makes few: the claims for every hinted run go
 * together, the completions of one turn of the event loop go together (each handing back the
 * nodes it releases), and the bookkeeping that nothing waits on (hints, the sweep's index) is sent
 * without holding up the nodes.
 */
import type { Claimed, Completion, RedisClient } from "../store/index.js";
import { LOOK_AGAIN_MS } from "../store/index.js";
import type { Engine, LoadedRun } from "./engine.js";
import { type ChildResult, executeNode, type Outcome, TimeoutError } from "./execute.js";
import { sleepFor } from "./handlers/index.js";
import { type HeldNode, LeaseKeeper } from "./leases.js";
import { NodeLog } from "./node-log.js";
import { retryDelayMs } from "./plan.js";

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

/**
 * `total` slots handed out in order to takers that can use at most `caps[i]` each (so one run's
 * nodes are claimed, and later completed, in one script rather than spread thin over many);
 * takers whose need is unknown share what is left evenly.
 */
export function allot(total: number, caps: readonly (number | undefined)[]): number[] {
  const out = caps.map(() => 0);
  let left = total;
  caps.forEach((cap, i) => {
    if (cap === undefined) return;
    out[i] = Math.min(cap, left);
    left -= out[i]!;
  });
  const unknown = caps.flatMap((cap, i) => (cap === undefined ? [i] : []));
  unknown.forEach((i, k) => {
    out[i] = Math.floor(left / unknown.length) + (k < left % unknown.length ? 1 : 0);
  });
  return out;
}

/** How many nodes these completions can release at most: their taken edges' distinct targets. */
function releasable(run: LoadedRun, done: readonly Completion[]): number {
  const targets = new Set<string>();
  for (const d of done)
    for (const t of d.taken === "all" ? run.plan.nodes.get(d.node)!.out.map((e) => e.to) : d.taken)
      targets.add(t);
  return targets.size;
}

export class Worker {
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly leaseMs: number;
  readonly id: string;
  /** Slots taken: nodes running, and slots set aside for claims on their way. */
  private active = 0;
  private stopping = false;
  private wake: (() => void) | undefined;
  private readonly controllers = new Set<AbortController>();
  private readonly completions = new Map<string, Completion[]>();
  private flushing: Promise<void> | undefined;
  /** Redis calls nothing waits on (hints, bookkeeping, claims started by the loop). */
  private readonly background = new Set<Promise<unknown>>();
  private readonly leases: LeaseKeeper;
  private lastSweep = 0;
  private sweeping: Promise<void> | undefined;
  /**
   * How many nodes were left ready on a run's queue when this worker last looked: a hint says
   * only that there is work, and claiming by this guess keeps a run's nodes together.
   */
  private readonly readyGuess = new Map<string, number>();

  constructor(
    private readonly engine: Engine,
    /** A connection of its own for blocking pops (BLMPOP holds it while it waits). */
    private readonly blocking: RedisClient,
    private readonly options: WorkerOptions = {},
  ) {
    this.queues = options.queues ?? ["default"];
    this.concurrency = options.concurrency ?? 8;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.id = options.id ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.leases = new LeaseKeeper(engine.runs, this.leaseMs, () => engine.now());
  }

  private get redis(): RedisClient {
    return this.engine.options.redis;
  }

  private stopDeadline = Number.POSITIVE_INFINITY;
  private stopped: Promise<void> | undefined;

  /** Stop taking work; running nodes get `graceMs` to finish, the rest are handed back. */
  stop(graceMs = 30_000): Promise<void> {
    this.stopDeadline = Math.min(this.stopDeadline, Date.now() + graceMs);
    this.stopped ??= this.shutDown();
    this.wake?.();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // A second stop() with a shorter grace (a second Ctrl-C) shortens this wait.
    while (this.active > 0 && Date.now() < this.stopDeadline)
      await new Promise((r) => setTimeout(r, 20));
    const deadline = this.stopDeadline;
    // What has not finished by now is handed back and runs again on another worker.
    for (const c of this.controllers) c.abort(new ShutdownError());
    while (this.active > 0 && Date.now() < deadline + 5_000)
      await new Promise((r) => setTimeout(r, 20));
    await this.settled();
    if (!this.options.onlyRun)
      await this.redis.zrem(this.engine.keys.workers, `${this.id}|${this.queues.join(",")}`);
  }

  /** Waits for every Redis call this worker has sent to come back. */
  private async settled(): Promise<void> {
    while (this.flushing || this.background.size > 0 || this.sweeping)
      await Promise.allSettled([this.flushing, this.sweeping, ...this.background]);
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async slotFree(): Promise<void> {
    while (this.active >= this.concurrency && !this.stopping)
      await new Promise<void>((r) => (this.wake = r));
  }

  /** Gives back `n` slots and wakes the loop if it waits for one. */
  private freeSlots(n: number) {
    this.active -= n;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Works until `stop()`, or until the one run it drives has finished. */
  async run(): Promise<void> {
    while (!this.stopping) {
      await this.slotFree();
      if (this.stopping) break;
      if (this.options.onlyRun) {
        const more = await this.driveOne(this.options.onlyRun);
        if (!more) break;
        continue;
      }
      if (Date.now() - this.lastSweep > (this.options.sweepMs ?? 250)) this.sweep();
      // Completions may have claimed nodes meanwhile: BLMPOP refuses COUNT 0.
      const free = this.concurrency - this.active;
      if (free <= 0) continue;
      const hintKeys = this.queues.map((q) => this.engine.keys.hints(q));
      const popped = (await this.blocking.call(
        "BLMPOP",
        "0.2",
        hintKeys.length,
        ...hintKeys,
        "LEFT",
        "COUNT",
        free,
      )) as [string, string[]] | null;
      if (!popped) continue;
      const queue = this.queues[hintKeys.indexOf(popped[0])]!;
      // The next pop does not wait for these claims: the slots they may fill are set aside.
      this.inBackground(this.claimFrom([...new Set(popped[1])].map((id) => ({ id, queue }))));
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
    const claimed = await this.claimFrom(run.queues.map((queue) => ({ id: runId, queue })));
    if (claimed === 0) {
      const waitMs =
        promoted.nextDue > 0
          ? Math.min(200, Math.max(5, promoted.nextDue - this.engine.now()))
          : 10;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
    return true;
  }

  /**
   * Claims ready nodes of these runs' queues in one round trip, the free slots shared out
   * between them; what is left (or could not be taken) is hinted again. Returns how many it took.
   */
  private async claimFrom(
    targets: { id: string; queue: string; ready?: number }[],
  ): Promise<number> {
    const room = Math.max(0, this.stopping ? 0 : this.concurrency - this.active);
    const split = allot(
      room,
      targets.map((t) => t.ready ?? this.readyGuess.get(`${t.id}\t${t.queue}`)),
    );
    const take = targets.filter((_, i) => split[i]! > 0);
    const maxes = split.filter((n) => n > 0);
    const hints = targets.filter((_, i) => split[i] === 0);
    if (take.length === 0) {
      this.notify({ hints });
      return 0;
    }
    const reserved = maxes.reduce((a, b) => a + b, 0);
    this.active += reserved;
    let started = 0;
    try {
      const known = take.map((t) => this.engine.loadedRun(t.id));
      const now = this.engine.now();
      const results = await this.engine.runs.claimMany(
        take.map((t, i) => ({
          id: t.id,
          queues: known[i]?.queues ?? [t.queue],
          queue: t.queue,
          max: maxes[i]!,
          withInfo: !known[i],
        })),
        this.leaseMs,
        this.id,
        now,
      );
      for (const [i, result] of results.entries()) {
        const target = take[i]!;
        if (result instanceof Error) {
          hints.push(target);
          continue;
        }
        this.guess(target.id, target.queue, result.left);
        if (result.left > 0) hints.push(target);
        if (result.claimed.length === 0) continue;
        let run = known[i];
        try {
          run ??= await this.engine.loadFrom(target.id, { ...result.info!, attempt: 1 });
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
    } finally {
      this.freeSlots(reserved - started);
    }
    this.notify({ hints });
    return started;
  }

  private guess(run: string, queue: string, ready: number) {
    const key = `${run}\t${queue}`;
    this.readyGuess.delete(key);
    if (ready <= 0) return;
    if (this.readyGuess.size >= 10_000)
      this.readyGuess.delete(this.readyGuess.keys().next().value!);
    this.readyGuess.set(key, ready);
  }

  /** Hints and the sweep's index, sent without holding anything up. */
  private notify(notes: {
    hints?: { id: string; queue: string }[];
    leased?: { id: string; deadline: number }[];
    finished?: string[];
  }) {
    if (this.options.onlyRun) {
      if (notes.hints?.length) this.wake?.();
      return;
    }
    if (!notes.hints?.length && !notes.leased?.length && !notes.finished?.length) return;
    this.inBackground(this.engine.runs.schedule(notes));
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
    const log = new NodeLog(this.redis, this.engine.keys.run(run.id).log(nodeId));
    const outcome = executeNode(planNode, {
      plan: run.plan,
      scope: run.scope,
      attempt,
      idempotencyKey: `${run.id}:${nodeId}:${attempt}`,
      signal: controller.signal,
      log: (text) => log.write(text),
      runChild: (ref, params, signal) => this.runChild(run, nodeId, attempt, ref, params, signal),
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
    void outcome
      .then(async (result) => {
        clearTimeout(timeout);
        this.leases.drop(held);
        await log.close();
        if (controller.signal.reason instanceof ShutdownError) {
          await this.engine.runs.release(run.id, run.queues, nodeId, token, this.engine.now());
          return;
        }
        await this.report(run, nodeId, attempt, token, result, Date.now() - started);
      })
      .catch(() => {
        // Reporting failed (Redis gone): the lease lapses and the node runs again elsewhere.
      })
      .finally(() => {
        clearTimeout(timeout);
        this.leases.drop(held);
        this.controllers.delete(controller);
        this.freeSlots(1);
      });
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
      await this.flush();
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
      // Look at the run when the retry is due (earlier looks stay).
      leased: retry ? [{ id: run.id, deadline: due }] : [],
      finished: !answer.stale && finished ? [run.id] : [],
    });
  }

  /**
   * Completions reported in the same turn of the event loop go to Redis together, one script per
   * run, and each script hands this worker nodes it releases, up to the slots these free.
   */
  private flush(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batches = [...this.completions];
      this.completions.clear();
      this.flushing = undefined;
      const finishing = batches.reduce((n, [, done]) => n + done.length, 0);
      // Set aside the slots these completions may fill; the nodes finishing give theirs back later.
      let budget = 0;
      let started = 0;
      const leftover: { id: string; queue: string; ready: number }[] = [];
      try {
        const runs = await Promise.all(batches.map(([runId]) => this.engine.load(runId)));
        const free = this.stopping ? 0 : Math.max(0, this.concurrency - this.active + finishing);
        const split = allot(
          free,
          batches.map(([, done], i) => releasable(runs[i]!, done)),
        );
        budget = split.reduce((a, b) => a + b, 0);
        this.active += budget;
        const now = this.engine.now();
        const results = await this.engine.runs.completeMany(
          batches.map(([runId, done], i) => ({
            id: runId,
            queues: runs[i]!.queues,
            done,
            claim: {
              max: split[i]!,
              queues: this.options.onlyRun ? runs[i]!.queues : this.queues,
            },
          })),
          this.leaseMs,
          this.id,
          now,
        );
        const leased: { id: string; deadline: number }[] = [];
        const finished: string[] = [];
        for (const [i, result] of results.entries()) {
          const [runId, done] = batches[i]!;
          // Reporting failed: the leases lapse and these nodes run again elsewhere.
          if (result instanceof Error) continue;
          if (result.stale > 0)
            for (const d of done)
              this.options.onEvent?.({ run: runId, node: d.node, attempt: 0, status: "stale" });
          for (const c of result.claimed) this.startNode(runs[i]!, c, result.runAttempt);
          started += result.claimed.length;
          if (result.claimed.length > 0) leased.push({ id: runId, deadline: now + this.leaseMs });
          for (const l of result.left) leftover.push({ id: runId, ...l });
          for (const queue of runs[i]!.queues)
            this.guess(runId, queue, result.left.find((l) => l.queue === queue)?.ready ?? 0);
          if (result.status !== "running" && result.status !== "queued") {
            finished.push(runId);
            this.wake?.();
          }
        }
        this.notify({ leased, finished });
      } finally {
        this.freeSlots(budget - started);
      }
      // Released nodes left over: take them now if slots are free, else hint them.
      const mine = leftover.filter((l) => this.options.onlyRun || this.queues.includes(l.queue));
      this.notify({
        hints: leftover.filter((l) => !mine.includes(l)).map(({ id, queue }) => ({ id, queue })),
      });
      if (mine.length > 0) this.inBackground(this.claimFrom(mine));
    });
    return this.flushing;
  }

  /**
   * A sub-workflow node's child run: one per attempt (its id says whose it is, so a redelivered
   * attempt finds the child it started). It runs on the workers serving its queues, or here when
   * this worker drives a single run; cancelling the parent cancels it.
   */
  private async runChild(
    parent: LoadedRun,
    node: string,
    attempt: number,
    ref: string,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ChildResult> {
    const id = `${parent.id}.${node}.${attempt}`;
    if (!(await this.redis.exists(this.engine.keys.run(id).meta))) {
      try {
        await this.engine.startRun(ref, params, { id, parent: `${parent.id}:${node}` });
      } catch (cause) {
        if (!(await this.redis.exists(this.engine.keys.run(id).meta))) throw cause;
      }
    }
    const onAbort = () =>
      void this.engine.cancelRun(id, `parent run ${parent.id} stopped`).catch(() => undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      if (this.options.onlyRun) {
        await new Worker(this.engine, this.blocking, {
          ...this.options,
          onlyRun: id,
          onEvent: this.options.onEvent,
        }).run();
      }
      for (;;) {
        const record = await this.engine.status(id);
        const status = record.fields.status;
        if (status === "succeeded")
          return { status, outputs: await this.engine.runs.outputs(id), id };
        if (status === "failed" || status === "cancelled")
          return { status, reason: record.fields.reason ?? "", id };
        if (signal.aborted) throw signal.reason;
        await sleepFor(100, signal);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Due retries and expired leases of active runs go back to their ready lists (in the background). */
  private sweep() {
    if (this.sweeping) return;
    this.lastSweep = Date.now();
    this.sweeping = this.sweepOnce()
      .catch(() => {
        // Redis unreachable for a moment: the next sweep tries again.
      })
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  private async sweepOnce() {
    const now = this.engine.now();
    // Tells `weft run --wait` that someone serves these queues.
    await this.redis.zadd(this.engine.keys.workers, now, `${this.id}|${this.queues.join(",")}`);
    const due = await this.redis.zrangebyscore(
      this.engine.keys.activeRuns,
      "-inf",
      now,
      "LIMIT",
      0,
      100,
    );
    await Promise.all(
      due.map(async (runId) => {
        const queues =
          this.engine.loadedRun(runId)?.queues ?? (await this.engine.runs.queuesOf(runId));
        const result = await this.engine.runs.promote(runId, queues, now);
        if (result.status !== "queued" && result.status !== "running") {
          await this.redis.zrem(this.engine.keys.activeRuns, runId);
          return;
        }
        await this.redis.zadd(
          this.engine.keys.activeRuns,
          result.nextDue > 0 ? result.nextDue : now + LOOK_AGAIN_MS,
          runId,
        );
        this.notify({ hints: result.touched.map((queue) => ({ id: runId, queue })) });
      }),
    );
  }
}
