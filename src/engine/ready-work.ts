/**
 * Ready work a worker knows of (runs' queues popped from the hints or seen left in a reply),
 * kept for its next exchange; what it has no room for within a moment is hinted to the others.
 */
import type { Notices } from "./notices.js";
import type { Target, WorkerContext } from "./worker-context.js";

/** Ready nodes this worker has no room for this long are hinted to the others. */
const HAND_OFF_MS = 20;

const key = (t: { id: string; queue: string }) => `${t.id}\t${t.queue}`;

export class ReadyWork {
  /** Runs' queues with ready nodes this worker means to claim, and since when. */
  private readonly targets = new Map<string, Target & { since: number }>();
  private handOffTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly notices: Notices,
  ) {}

  get size(): number {
    return this.targets.size;
  }

  keep(t: Target): void {
    const k = key(t);
    const before = this.targets.get(k);
    this.targets.set(k, {
      ...t,
      ready: t.ready ?? before?.ready,
      since: before?.since ?? this.ctx.clock.now(),
    });
    this.handOffTimer ??= setTimeout(() => {
      this.handOffTimer = undefined;
      this.handOff(HAND_OFF_MS);
    }, HAND_OFF_MS);
  }

  /** Everything kept, for an exchange to claim. */
  takeAll(): Target[] {
    const all = [...this.targets.values()];
    this.targets.clear();
    return all;
  }

  /** Ready work kept `olderThan` ms without room for it goes to the hints for any worker. */
  handOff(olderThan: number): void {
    const now = this.ctx.clock.now();
    const hints: Target[] = [];
    for (const [k, t] of this.targets)
      if (now - t.since >= olderThan) {
        hints.push(t);
        this.targets.delete(k);
      }
    this.notices.send({ hints });
    if (this.targets.size > 0 && !this.ctx.gate.stopping)
      this.handOffTimer ??= setTimeout(() => {
        this.handOffTimer = undefined;
        this.handOff(HAND_OFF_MS);
      }, HAND_OFF_MS);
  }
}
