/**
 * The worker's heartbeat and sweep, beside the claim loop: it tells `weft run --wait` that
 * someone serves these queues, and puts due retries and expired leases of active runs back on
 * their ready lists. While Redis is away it tries again 100 ms doubling to 2 s later.
 */

import type { Notices } from "./notices.js";
import { Backoff } from "./outage.js";
import { sweepDueRuns } from "./sweep.js";
import type { WorkerContext } from "./worker-context.js";

export class Heartbeat {
  private lastBeat = Number.NEGATIVE_INFINITY;
  private notBefore = 0;
  private beating = false;
  private readonly backoff = new Backoff();

  constructor(
    private readonly ctx: WorkerContext,
    private readonly notices: Notices,
    private readonly everyMs: number,
  ) {}

  /** Beats and sweeps when it is time (called on every turn of the claim loop). */
  beat(): void {
    const now = this.ctx.clock.now();
    if (this.beating || now - this.lastBeat <= this.everyMs || now < this.notBefore) return;
    this.beating = true;
    this.lastBeat = now;
    const { engine } = this.ctx;
    this.ctx.background.add(
      (async () => {
        await engine.workers.heartbeat(this.ctx.id, this.ctx.queues, now);
        await sweepDueRuns(engine, now, (id, queues) =>
          this.notices.send({ hints: queues.map((queue) => ({ id, queue })) }),
        );
      })()
        .then(
          () => this.backoff.succeeded(),
          () => {
            // Redis unreachable: the next beat waits a little longer.
            this.notBefore = this.ctx.clock.now() + this.backoff.failed();
          },
        )
        .finally(() => {
          this.beating = false;
        }),
    );
  }

  /** Says this worker no longer serves its queues. */
  async leave(): Promise<void> {
    const { engine } = this.ctx;
    await engine.workers.leave(this.ctx.id, this.ctx.queues);
  }
}
