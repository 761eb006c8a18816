/**
 * Canvas positions computed for a version's content, so reopening a saved workflow never waits
 * for layout. Keyed by content hash and layout options; the value is opaque JSON to the store.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

/** Kept while used: every read renews it. */
const LAYOUT_TTL_SECONDS = 90 * 24 * 3600;

export class LayoutCache {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    private readonly keys: StoreKeys,
  ) {
    this.redis = clientOf(handle);
  }

  async get(hash: string, options: string): Promise<unknown> {
    const key = this.keys.layout(hash, options);
    const raw = await this.redis.getex(key, "EX", LAYOUT_TTL_SECONDS);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  async put(hash: string, options: string, geometry: unknown): Promise<void> {
    await this.redis.set(
      this.keys.layout(hash, options),
      JSON.stringify(geometry),
      "EX",
      LAYOUT_TTL_SECONDS,
    );
  }
}
