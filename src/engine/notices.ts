/**
 * What other workers and the sweep are told beside the exchanges: runs with ready work on a
 * queue (hints), runs to look at by a given time (a retry due), runs that finished (taken off the
 * sweep's index). Nothing waits for these, so they go in the background; while Redis is away
 * they are kept and sent again with backoff.
 */
import { isOutage } from "../store/index.js";
import { Backoff } from "./outage.js";
import type { Target, WorkerContext } from "./worker-context.js";

/** How long a finished run may wait for an exchange to take it off the sweep's index. */
const FINISHED_DELAY_MS = 100;

export interface Notes {
  hints?: readonly Target[];
  lookAt?: readonly { id: string; when: number }[];
  finished?: readonly string[];
}

interface Unsent {
  hints: { id: string; queue: string }[];
  lookAt: { id: string; when: number }[];
  finished: string[];
}

const nothing = (): Unsent => ({ hints: [], lookAt: [], finished: [] });

export class Notices {
  /** Runs seen finished, taken off the sweep's index with the next exchange (or soon after). */
  private finishedRuns: string[] = [];
  private finishedTimer: NodeJS.Timeout | undefined;
  private unsent = nothing();
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff();

  constructor(private readonly ctx: WorkerContext) {}

  /** Nothing is left to send. */
  get idle(): boolean {
    return (
      this.retryTimer === undefined &&
      this.unsent.hints.length + this.unsent.lookAt.length + this.unsent.finished.length === 0
    );
  }

  send(notes: Notes): void {
    // Finished runs give their places back at their workflows' gates (limits.maxConcurrentRuns).
    if (notes.finished?.length)
      void this.ctx.engine.runsEnded(notes.finished).catch(() => undefined);
    const hints = (notes.hints ?? []).map(({ id, queue }) => ({ id, queue }));
    if (this.ctx.onlyRun) {
      // Driving one run: the hint is for this worker's own loop.
      if (hints.length > 0) this.ctx.gate.changed();
      return;
    }
    if (notes.finished?.length) {
      // Nothing waits for this: it rides with the next exchange, or goes on its own shortly.
      this.finishedRuns.push(...notes.finished);
      this.finishedTimer ??= setTimeout(() => {
        this.finishedTimer = undefined;
        this.send({});
      }, FINISHED_DELAY_MS);
    }
    this.unsent.hints.push(...hints);
    this.unsent.lookAt.push(...(notes.lookAt ?? []));
    if (this.finishedTimer === undefined) this.unsent.finished.push(...this.takeFinished());
    // Backing off after a failure: all of it goes with the next try.
    if (this.retryTimer === undefined) this.flush();
  }

  /** The finished runs not yet taken off the sweep's index (the caller sends them). */
  takeFinished(): string[] {
    clearTimeout(this.finishedTimer);
    this.finishedTimer = undefined;
    return this.finishedRuns.splice(0);
  }

  /** Sends the finished runs now rather than with an exchange (the worker stops). */
  sendFinishedNow(): void {
    this.unsent.finished.push(...this.takeFinished());
    if (this.retryTimer === undefined) this.flush();
  }

  /** Finished runs an exchange took but could not send: they go with a later one. */
  giveBackFinished(ids: readonly string[]): void {
    if (ids.length > 0) this.send({ finished: ids });
  }

  private flush(): void {
    const notes = this.unsent;
    if (notes.hints.length + notes.lookAt.length + notes.finished.length === 0) return;
    this.unsent = nothing();
    this.ctx.background.add(
      this.ctx.engine.runs.schedule(notes).then(
        () => this.backoff.succeeded(),
        (cause) => {
          if (!isOutage(cause) || this.ctx.givingUp()) return;
          this.unsent.hints.unshift(...notes.hints);
          this.unsent.lookAt.unshift(...notes.lookAt);
          this.unsent.finished.unshift(...notes.finished);
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = undefined;
            this.flush();
          }, this.backoff.failed());
        },
      ),
    );
  }
}
