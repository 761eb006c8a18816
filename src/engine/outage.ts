/**
 * Riding out a Redis outage: which failures mean "Redis is away, try again" (a dropped
 * connection, a client that gave up on a command, a server still loading its data) rather than
 * an answer, and the bookkeeping of tries in a row for a backoff.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { StoreError } from "../store/index.js";
import { outageBackoffMs } from "./retry-policy.js";

/** Replies a server gives while it cannot serve yet; any other reply is an answer. */
const NOT_READY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOSCRIPT)\b/;

export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "ReplyError") return NOT_READY.test(error.message);
  // A missing run or a reply not understood is an answer; a bug in our code is not an outage.
  return !(
    error instanceof StoreError ||
    error instanceof TypeError ||
    error instanceof SyntaxError ||
    error instanceof RangeError
  );
}

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
