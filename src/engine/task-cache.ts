/**
 * `cache:` on a task: its output kept under the SHA-256 of what the handler is given (the
 * handler, its resolved `with`, the values templated into a shell command) and the outputs of
 * the nodes before it. A hit skips the handler. Identical nodes running at once run it once: the
 * first takes a lock in Redis (renewed while the handler runs), the others wait for its value;
 * in one process they share one promise. A failure is never kept, and lets a waiting node try.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { sha256, stableStringify } from "../spec/index.js";
import type { CacheScope, TaskCacheStore } from "../store/index.js";

/** How long a lock holds without renewal: a worker that dies lets the others compute after this. */
export const CACHE_LOCK_MS = 15_000;
/** How long a `scope: global` entry keeps when the task gives no `ttl`. */
export const DEFAULT_GLOBAL_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function cacheKey(what: {
  handler: string;
  with: unknown;
  values: readonly string[];
  inputs: Record<string, unknown>;
}): string {
  return sha256(stableStringify({ v: 1, ...what }));
}

export interface CacheRequest {
  scope: CacheScope;
  run: string;
  key: string;
  /** Undefined: kept as long as its scope lasts (the run), or the global default. */
  ttlMs: number | undefined;
  signal: AbortSignal;
}

export class TaskCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: TaskCacheStore,
    /** Names this process in the lock (a unique id per worker). */
    private readonly owner: string,
  ) {}

  /** The kept output, or `compute`'s (kept for the next); `hit` when the handler did not run here. */
  async remember(
    r: CacheRequest,
    compute: () => Promise<unknown>,
  ): Promise<{ value: unknown; hit: boolean }> {
    const redisKey = this.store.key(r.scope, r.key, r.run);
    const shared = this.inFlight.get(redisKey);
    if (shared) return { value: await shared, hit: true };
    let computed = false;
    const work = (async () => {
      for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
        const kept = await this.store.get(redisKey);
        if (kept !== undefined) return JSON.parse(kept) as unknown;
        if (await this.store.lock(redisKey, this.owner, CACHE_LOCK_MS)) {
          computed = true;
          return this.computeHolding(redisKey, r, compute);
        }
        // Another worker runs it: its value comes, or its lock lapses and this one tries.
        if (r.signal.aborted) throw r.signal.reason;
        await sleep(wait, undefined, { signal: r.signal }).catch(() => {
          throw r.signal.reason;
        });
      }
    })();
    this.inFlight.set(redisKey, work);
    try {
      const value = await work;
      return { value, hit: !computed };
    } finally {
      this.inFlight.delete(redisKey);
    }
  }

  private async computeHolding(
    redisKey: string,
    r: CacheRequest,
    compute: () => Promise<unknown>,
  ): Promise<unknown> {
    const renew = setInterval(
      () => void this.store.renewLock(redisKey, this.owner, CACHE_LOCK_MS).catch(() => undefined),
      CACHE_LOCK_MS / 3,
    );
    try {
      const value = await compute();
      const ttl = r.ttlMs ?? (r.scope === "global" ? DEFAULT_GLOBAL_TTL_MS : undefined);
      await this.store.put(redisKey, JSON.stringify(value ?? null), ttl);
      return value;
    } catch (cause) {
      await this.store.unlock(redisKey, this.owner).catch(() => undefined);
      throw cause;
    } finally {
      clearInterval(renew);
    }
  }
}
