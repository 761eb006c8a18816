/**
 * Unsaved designer edits, kept in Redis per user and workflow so they survive a crash or a
 * dropped SSH connection and are offered on the next open. A draft is a copy, never a version.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

/** Drafts nobody came back to for a month are let go. */
const DRAFT_TTL_SECONDS = 30 * 24 * 3600;

export interface Draft {
  /** The edited workflow as the designer holds it (plain JSON). */
  workflow: unknown;
  /** The version the edit started from (0 for a workflow never saved). */
  baseVersion: number;
  savedAt: number;
  host: string;
}

export class DraftStore {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    private readonly keys: StoreKeys,
    private readonly user: string,
  ) {
    this.redis = clientOf(handle);
  }

  async put(workflow: string, draft: Draft): Promise<void> {
    await this.redis.set(
      this.keys.draft(this.user, workflow),
      JSON.stringify(draft),
      "EX",
      DRAFT_TTL_SECONDS,
    );
  }

  async get(workflow: string): Promise<Draft | undefined> {
    const raw = await this.redis.get(this.keys.draft(this.user, workflow));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as Draft;
    } catch {
      return undefined;
    }
  }

  async drop(workflow: string): Promise<void> {
    await this.redis.del(this.keys.draft(this.user, workflow));
  }
}
