/** Waiting in tests for something to become true, bounded in time. */
import { setTimeout as sleep } from "node:timers/promises";

type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * Calls `probe` every `everyMs` until it gives a value (anything but undefined or false) and
 * returns it; once `ms` have passed, undefined. A probe that throws (Redis away for a moment)
 * counts as no value yet.
 */
export async function poll<T>(probe: Probe<T>, ms: number, everyMs = 20): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

/** As `poll`, but a probe that never gives a value fails: `timed out waiting for <what>`. */
export async function until<T>(
  what: string,
  ms: number,
  probe: Probe<T>,
  everyMs = 50,
): Promise<T> {
  const value = await poll(probe, ms, everyMs);
  if (value === undefined) throw new Error(`timed out waiting for ${what}`);
  return value;
}
