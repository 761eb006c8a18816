/**
 * The sweep's index: active run id -> when it next needs a look (a retry due, a lease ending, or
 * just a while since anyone looked). Worker exchanges and schedules write it in their own round
 * trips (runs.ts); a sweep reads what is due and puts each run back or takes it off.
 */
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

export class SweepIndex {
  constructor(
    private readonly handle: StoreHandle,
    private readonly keys: StoreKeys,
  ) {}

  /** Up to `limit` runs due for a look by `now`. */
  due(now: number, limit: number): Promise<string[]> {
    return clientOf(this.handle).zrangebyscore(
      this.keys.activeRuns,
      "-inf",
      now,
      "LIMIT",
      0,
      limit,
    );
  }

  async reschedule(id: string, when: number): Promise<void> {
    await clientOf(this.handle).zadd(this.keys.activeRuns, when, id);
  }

  /** A finished run: nobody needs to look at it again. */
  async remove(id: string): Promise<void> {
    await clientOf(this.handle).zrem(this.keys.activeRuns, id);
  }
}
