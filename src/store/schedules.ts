/**
 * What schedulers share in Redis: per schedule line, the last tick fired, and a key per tick that
 * only one scheduler can set, so however many run, each tick starts its run once.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

/** How long a tick's claim is kept: far longer than any two schedulers disagree on the time. */
const TICK_KEPT_MS = 2 * 24 * 60 * 60 * 1000;

export class ScheduleStore {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    readonly keys: StoreKeys,
  ) {
    this.redis = clientOf(handle);
  }

  /** The last tick fired (ms), or undefined when no scheduler has seen this line yet. */
  async last(workflow: string, index: number): Promise<number | undefined> {
    const v = await this.redis.get(this.keys.scheduleLast(workflow, index));
    return v === null ? undefined : Number(v);
  }

  /** Records the last tick fired (or, on first sight, the time from which ticks count). */
  async setLast(workflow: string, index: number, due: number): Promise<void> {
    await this.redis.set(this.keys.scheduleLast(workflow, index), String(due));
  }

  /** True for the one caller that is to fire tick `due` of this line. */
  async claimTick(workflow: string, index: number, due: number, by: string): Promise<boolean> {
    const key = this.keys.scheduleTick(workflow, index, due);
    return (await this.redis.set(key, by, "PX", TICK_KEPT_MS, "NX")) === "OK";
  }
}
