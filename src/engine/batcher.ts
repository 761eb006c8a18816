/**
 * The exchange of completions and claims. Round trips are what a worker waits on, so it makes
 * few: one exchange at a time (two at most) carries every completion reported since the last one
 * and claims for every run known to have ready nodes, one script per run, in one round trip;
 * whatever arrives meanwhile waits for the next, so batches grow with the load instead of
 * splitting into many small ones. A completing run's script also leases its newly ready nodes to
 * this worker, so they skip the ready list.
 *
 * While Redis is away nothing is dropped: completions, failures and claims stay here and go
 * with the next try, 100 ms doubling to 2 s later. A result reported after its lease was taken
 * over is refused by the scripts as stale.
 */
import { type Claimed, type Completion, isActiveRun, isOutage } from "../store/index.js";
import type { LoadedRun } from "./engine.js";
import { type FailureReport, reportFailure } from "./failure-report.js";
import type { Notices } from "./notices.js";
import { Backoff } from "./outage.js";
import type { ReadyWork } from "./ready-work.js";
import { allot, releasable } from "./slots.js";
import type { Target, WorkerContext } from "./worker-context.js";

/** Exchanges in flight at once: a second overlaps the worker's work with Redis's. */
const MAX_IN_FLIGHT = 2;

/** Starts a claimed node (the node runner). */
export type StartNode = (run: LoadedRun, claim: Claimed, runAttempt: number) => void;

export class Batcher {
  /** Completions not sent yet, by run. */
  private readonly completions = new Map<string, Completion[]>();
  private failures: FailureReport[] = [];
  private inFlight = 0;
  private pumpQueued = false;
  /** Set while waiting to try Redis again: nothing is sent meanwhile. */
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff();

  constructor(
    private readonly ctx: WorkerContext,
    private readonly notices: Notices,
    /** Ready work known, claimed by the next exchange. */
    readonly ready: ReadyWork,
    private readonly startNode: StartNode,
  ) {}

  /** Nothing waits to be sent. */
  get idle(): boolean {
    return (
      this.completions.size === 0 &&
      this.failures.length === 0 &&
      !this.pumpQueued &&
      this.retryTimer === undefined
    );
  }

  /** Something goes out on the next turn of the event loop. */
  get sending(): boolean {
    return this.pumpQueued;
  }

  complete(run: string, completion: Completion): void {
    const batch = this.completions.get(run);
    if (batch) batch.push(completion);
    else this.completions.set(run, [completion]);
    this.pump();
  }

  fail(report: FailureReport): void {
    this.failures.push(report);
    this.pump();
  }

  /** Gives back `n` slots. */
  giveSlots(n: number): void {
    this.ctx.gate.give(n);
    if (n > 0 && this.ready.size > 0) this.pump();
  }

  /** Sends what is waiting (completions, failures, claims of known work) once this turn ends. */
  pump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      if (this.retryTimer !== undefined) return;
      if (this.failures.length > 0)
        for (const f of this.failures.splice(0)) this.ctx.background.add(this.sendFailure(f));
      if (this.inFlight >= MAX_IN_FLIGHT) return;
      const free = this.ctx.gate.free;
      if (this.completions.size === 0 && (this.ready.size === 0 || free === 0)) return;
      const batches = [...this.completions];
      this.completions.clear();
      const targets = free > 0 ? this.ready.takeAll() : [];
      this.inFlight++;
      this.ctx.background.add(
        this.exchange(batches, targets).finally(() => {
          this.inFlight--;
          this.ctx.gate.changed();
          this.pump();
        }),
      );
    });
  }

  /** Redis is away: nothing goes out until the wait is over. */
  private backOff(): void {
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.backoff.failed());
  }

  /** Completions that could not be sent: back in front of what came since. */
  private requeue(batches: readonly [string, Completion[]][]): void {
    for (const [run, done] of batches) {
      const since = this.completions.get(run) ?? [];
      this.completions.set(run, [...done, ...since]);
    }
  }

  /** The queues this worker takes a run's nodes from. */
  private serves(run: LoadedRun): string[] {
    return this.ctx.onlyRun ? run.queues : run.queues.filter((q) => this.ctx.queues.includes(q));
  }

  /**
   * One round trip: these completions (each run's script also leasing ready nodes of that run to
   * this worker) and claims from these runs' queues, with the free slots shared out. Ready nodes
   * seen left are kept for the next exchange. Returns how many nodes it started; while Redis is
   * away it starts none and keeps everything for the next try.
   */
  async exchange(batches: [string, Completion[]][], targets: Target[]): Promise<number> {
    const { engine, gate } = this.ctx;
    let reserved = 0;
    let started = 0;
    const hints: Target[] = [];
    const finished: string[] = [];
    const leftover: Target[] = [];
    let forget: string[] = [];
    try {
      const runs = await Promise.all(batches.map(([runId]) => engine.load(runId)));
      // A completing run claims through its own script: what was known of it counts there.
      const completing = new Map(batches.map(([runId], i) => [runId, i]));
      const extra = batches.map(() => 0);
      const claims: Target[] = [];
      for (const t of targets) {
        const i = completing.get(t.id);
        if (i === undefined) claims.push(t);
        else extra[i]! += t.ready ?? 1;
      }
      const split = allot(gate.free, [
        ...batches.map(([, done], i) => releasable(runs[i]!.plan, done) + extra[i]!),
        ...claims.map((t) => t.ready),
      ]);
      reserved = split.reduce((a, b) => a + b, 0);
      gate.take(reserved);
      const claimSplit = split.slice(batches.length);
      const claiming = claims.filter((_, i) => claimSplit[i]! > 0);
      const maxes = claimSplit.filter((n) => n > 0);
      // No room for these now: kept for the next exchange.
      claims.forEach((t, i) => {
        if (claimSplit[i] === 0) leftover.push(t);
      });
      const loaded = claiming.map((t) => engine.loadedRun(t.id));
      const now = this.ctx.clock.now();
      forget = this.notices.takeFinished();
      const { completed, claimed } = await engine.runs.exchange(
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
        this.ctx.leaseMs,
        this.ctx.id,
        now,
        forget,
      );
      this.backoff.succeeded();
      for (const [i, result] of completed.entries()) {
        const [runId, done] = batches[i]!;
        if (result instanceof Error) {
          // Redis away for this script: the completions go with a later exchange. Any other
          // error is an answer: the leases lapse and these nodes run again elsewhere.
          if (isOutage(result) && !this.ctx.givingUp()) {
            this.requeue([[runId, done]]);
            this.backOff();
          }
          continue;
        }
        if (result.stale > 0)
          for (const d of done)
            this.ctx.emit?.({ run: runId, node: d.node, attempt: 0, status: "stale" });
        for (const c of result.claimed) this.startNode(runs[i]!, c, result.runAttempt);
        started += result.claimed.length;
        for (const l of result.left) leftover.push({ id: runId, ...l });
        if (!isActiveRun(result.status)) finished.push(runId);
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
          run ??= await engine.loadFrom(target.id, result.info!);
        } catch {
          // The run's version cannot be read: give its nodes back rather than sit on them.
          for (const c of result.claimed)
            this.ctx.background.add(
              engine.runs.release(target.id, [target.queue], c.node, c.token, now),
            );
          continue;
        }
        for (const c of result.claimed) this.startNode(run, c, result.runAttempt);
        started += result.claimed.length;
      }
    } catch (cause) {
      if (!isOutage(cause) || this.ctx.givingUp()) {
        // Nothing came back: what was to be claimed goes back to the hints for whoever can.
        hints.push(...targets);
        throw cause;
      }
      // Redis is away: everything waits here for the next try.
      this.requeue(batches);
      this.notices.giveBackFinished(forget);
      for (const t of targets) this.ready.keep(t);
      this.backOff();
      return 0;
    } finally {
      this.notices.send({ hints, finished });
      this.giveSlots(reserved - started);
    }
    // Left over on this worker's queues: kept for the next exchange; on other queues: hinted.
    const others: Target[] = [];
    for (const l of leftover) {
      if (this.ctx.onlyRun || this.ctx.queues.includes(l.queue)) this.ready.keep(l);
      else others.push(l);
    }
    this.notices.send({ hints: others });
    if (this.ready.size > 0) this.pump();
    return started;
  }

  /** Reports a failed attempt; while Redis is away it waits here for the next try. */
  private async sendFailure(f: FailureReport): Promise<void> {
    try {
      await reportFailure(this.ctx, this.notices, f);
    } catch (cause) {
      if (isOutage(cause) && !this.ctx.givingUp()) {
        this.failures.push(f);
        this.backOff();
      }
    }
  }
}
