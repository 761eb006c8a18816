/**
 * Riding out a Redis outage: the bookkeeping of tries in a row for a backoff, and a call tried
 * until it succeeds. Which failures mean "Redis is away" is the store's to say (`isOutage`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isOutage } from "../store/index.js";
import { outageBackoffMs } from "./retry-policy.js";

/** Failures in a row of one kind of call, and how long to wait before the next try. */
export class Backoff {
  private failures = 0;

  /** Counts a failure; returns the wait before the next try. */
  failed(): number {
    this.failures++;
    return outageBackoffMs(this.failures);
  }

  succeeded(): void {
    this.failures = 0;
  }
}

/**
 * Calls `call` until it succeeds, waiting between tries while Redis is away. Throws an error
 * that is not an outage at once, and the last outage once `givingUp()` says so.
 */
export async function persist<T>(call: () => Promise<T>, givingUp: () => boolean): Promise<T> {
  const backoff = new Backoff();
  for (;;) {
    try {
      return await call();
    } catch (cause) {
      if (!isOutage(cause) || givingUp()) throw cause;
      await sleep(backoff.failed());
    }
  }
}
