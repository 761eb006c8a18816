/**
 * The dead-letter list: nodes that failed for good (their retries spent, or their worker lost
 * too often), each with its last error, kept until it is requeued or purged.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

export interface DeadLetter {
  run: string;
  node: string;
  workflow: string;
  version: number;
  error: string;
  attempts: number;
  /** When it failed for good (ms). */
  at: number;
}

const member = (run: string, node: string) => `${run}|${node}`;

export class DeadLetters {
  private readonly redis: RedisClient;

  constructor(
    handle: StoreHandle,
    readonly keys: StoreKeys,
  ) {
    this.redis = clientOf(handle);
  }

  async add(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const p = this.redis.multi();
    for (const l of letters) {
      p.zadd(this.keys.deadLetters, l.at, member(l.run, l.node));
      p.hset(this.keys.deadLetter, member(l.run, l.node), JSON.stringify(l));
    }
    await p.exec();
  }

  /** Newest first. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const members = await this.redis.zrevrange(this.keys.deadLetters, 0, limit - 1);
    if (members.length === 0) return [];
    const raw = await this.redis.hmget(this.keys.deadLetter, ...members);
    return raw.flatMap((r) => (r ? [JSON.parse(r) as DeadLetter] : []));
  }

  async get(run: string, node: string): Promise<DeadLetter | undefined> {
    const raw = await this.redis.hget(this.keys.deadLetter, member(run, node));
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
  }

  /** How many letters there are. */
  count(): Promise<number> {
    return this.redis.zcard(this.keys.deadLetters);
  }

  /** The nodes of `run` that have a letter. */
  async nodesOf(run: string): Promise<string[]> {
    const members = await this.redis.zrange(this.keys.deadLetters, 0, -1);
    return members.filter((m) => m.startsWith(`${run}|`)).map((m) => m.slice(run.length + 1));
  }

  /** Removes these nodes' letters (of one run); all of the run's when `nodes` is undefined. */
  async remove(run: string, nodes?: readonly string[]): Promise<number> {
    const members =
      nodes?.map((n) => member(run, n)) ??
      (await this.redis.zrange(this.keys.deadLetters, 0, -1)).filter((m) =>
        m.startsWith(`${run}|`),
      );
    if (members.length === 0) return 0;
    const p = this.redis.multi();
    p.zrem(this.keys.deadLetters, ...members);
    p.hdel(this.keys.deadLetter, ...members);
    const replies = (await p.exec()) ?? [];
    return Number(replies[0]?.[1] ?? 0);
  }

  /** Removes every letter; returns how many there were. */
  async purge(): Promise<number> {
    const n = await this.redis.zcard(this.keys.deadLetters);
    await this.redis.del(this.keys.deadLetters, this.keys.deadLetter);
    return n;
  }
}
