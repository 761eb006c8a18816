/**
 * Task outputs kept by cache key (`cache:` on a task): a value per key, and a short lock so that
 * identical nodes running at once run their handler once. What a key is, and when to use it, is
 * the engine's business; this layer keeps values and locks.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

export type CacheScope = "global" | "run";

export class TaskCacheStore {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    readonly keys: StoreKeys,
  ) {
    this.redis = clientOf(handle);
  }

  key(scope: CacheScope, hash: string, run: string): string {
    return scope === "global" ? this.keys.cache(hash) : this.keys.run(run).cache(hash);
  }

  /** The kept value (its JSON), or undefined when there is none. */
  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  /** Takes the key's lock for `ms`: true when this caller is to compute the value. */
  async lock(key: string, owner: string, ms: number): Promise<boolean> {
    return (await this.redis.set(`${key}:lock`, owner, "PX", ms, "NX")) === "OK";
  }

  /** Keeps the lock while the handler runs (false once it was lost). */
  async renewLock(key: string, owner: string, ms: number): Promise<boolean> {
    if ((await this.redis.get(`${key}:lock`)) !== owner) return false;
    return (await this.redis.pexpire(`${key}:lock`, ms)) === 1;
  }

  /** Keeps `json` (for `ttlMs`, or until replaced when undefined) and lets the lock go. */
  async put(key: string, json: string, ttlMs: number | undefined): Promise<void> {
    const p = this.redis.multi();
    if (ttlMs === undefined) p.set(key, json);
    else p.set(key, json, "PX", ttlMs);
    p.del(`${key}:lock`);
    await p.exec();
  }

  /** Lets the lock go without a value (the handler failed): a waiting node computes it. */
  async unlock(key: string, owner: string): Promise<void> {
    if ((await this.redis.get(`${key}:lock`)) === owner) await this.redis.del(`${key}:lock`);
  }
}
