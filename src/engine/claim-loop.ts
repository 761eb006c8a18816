/**
 * The claim loop: waits for hints of runs with ready work on this worker's queues (a blocking pop
 * on its own connection) and hands them to the batcher, or, driving a single run, steps that run
 * until it finishes. A Redis outage makes it wait and try again (100 ms doubling to 2 s); it ends
 * only when the worker stops or its one run is done.
 */
import { isActiveRun, isOutage, type StoreHandle } from "../store/index.js";
import type { Batcher } from "./batcher.js";
import type { Heartbeat } from "./heartbeat.js";
import type { Notices } from "./notices.js";
import { Backoff } from "./outage.js";
import type { WorkerContext } from "./worker-context.js";

export class ClaimLoop {
  private readonly backoff = new Backoff();
  /** Ends the wait for the current pop early: the worker stops while Redis is away. */
  private abandonPop: ((why: "stopped") => void) | undefined;

  constructor(
    private readonly ctx: WorkerContext,
    /** A connection of its own for blocking pops (BLMPOP holds it while it waits). */
    private readonly blocking: StoreHandle,
    private readonly batcher: Batcher,
    private readonly heartbeat: Heartbeat,
    private readonly notices: Notices,
    private readonly sweepMs: number,
  ) {
    // Subscribed once: a race against the stop on every pop would pile up callbacks on it.
    ctx.gate.stopped.then(() => this.abandonPop?.("stopped"));
  }

  /** Works until the worker stops, or until the one run it drives has finished. */
  async run(): Promise<void> {
    const { gate, onlyRun } = this.ctx;
    while (!gate.stopping) {
      try {
        if (onlyRun) {
          if (!(await this.driveOne(onlyRun))) break;
        } else await this.takeHints();
        this.backoff.succeeded();
      } catch (cause) {
        if (!isOutage(cause)) throw cause;
        await gate.nextChange(this.backoff.failed());
      }
    }
  }

  private async takeHints(): Promise<void> {
    const { gate } = this.ctx;
    this.heartbeat.beat();
    // No free slot, or known work the pump will take: wait (at most as long as a sweep).
    const free = gate.free;
    if (free <= 0 || this.batcher.ready.size > 0) {
      await gate.nextChange(this.sweepMs);
      return;
    }
    const pop = this.ctx.engine.workers.waitForHints(this.blocking, this.ctx.queues, free, "0.2");
    const stopped = new Promise<"stopped">((resolve) => {
      this.abandonPop = resolve;
    });
    if (gate.stopping) this.abandonPop?.("stopped");
    const popped = await Promise.race([pop, stopped]);
    this.abandonPop = undefined;
    if (popped === "stopped") {
      // Stopping while the pop waits (for Redis, when it is away): whatever it pops is hinted back.
      this.ctx.background.add(
        pop.then((late) => {
          if (late) this.hintBack(late);
        }),
      );
      return;
    }
    if (!popped) return;
    for (const id of new Set(popped.runs)) this.batcher.ready.keep({ id, queue: popped.queue });
    this.batcher.pump();
  }

  private hintBack({ queue, runs }: { queue: string; runs: string[] }): void {
    this.notices.send({ hints: [...new Set(runs)].map((id) => ({ id, queue })) });
  }

  /** One step of driving a single run; false once the run has finished. */
  private async driveOne(runId: string): Promise<boolean> {
    const { engine, gate, clock } = this.ctx;
    const run = await engine.load(runId);
    const promoted = await engine.runs.promote(runId, run.queues, clock.now());
    await engine.deadLettered(runId, promoted.dead);
    if (!isActiveRun(promoted.status) && gate.running === 0) return false;
    const claimed =
      gate.free > 0
        ? await this.batcher.exchange(
            [],
            run.queues.map((queue) => ({ id: runId, queue })),
          )
        : 0;
    if (claimed === 0) {
      const waitMs =
        promoted.nextDue > 0 ? Math.min(200, Math.max(5, promoted.nextDue - clock.now())) : 10;
      await gate.nextChange(waitMs);
    }
    return true;
  }
}
