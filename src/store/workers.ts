/**
 * The workers registry and the hints they wait on. Each worker says which queues it serves by a
 * heartbeat ("id|queue,queue" -> time), so `weft run --wait` and the TUI know whether to drive
 * a run themselves; hints are run ids pushed per queue when a run has ready work.
 */
import { PRIORITY_LANES } from "../model/run-model.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

const member = (worker: string, queues: readonly string[]) => `${worker}|${queues.join(",")}`;

export class WorkerRegistry {
  constructor(
    private readonly handle: StoreHandle,
    private readonly keys: StoreKeys,
  ) {}

  async heartbeat(worker: string, queues: readonly string[], now: number): Promise<void> {
    await clientOf(this.handle).zadd(this.keys.workers, now, member(worker, queues));
  }

  async leave(worker: string, queues: readonly string[]): Promise<void> {
    await clientOf(this.handle).zrem(this.keys.workers, member(worker, queues));
  }

  /** Queues some worker has served since `since` (ms). */
  async servedSince(since: number): Promise<Set<string>> {
    const live = await clientOf(this.handle).zrangebyscore(this.keys.workers, since, "+inf");
    return new Set(live.flatMap((entry) => (entry.split("|")[1] ?? "").split(",")));
  }

  /**
   * Waits up to `seconds` on `blocking` (a connection of its own: BLMPOP holds it) for hints on
   * `queues`, taking up to `max` run ids from the first queue that has some: the lanes of
   * higher priority first (every queue's), then in the order of `queues`.
   */
  async waitForHints(
    blocking: StoreHandle,
    queues: readonly string[],
    max: number,
    seconds: string,
  ): Promise<{ queue: string; runs: string[] } | null> {
    const lanes = PRIORITY_LANES.flatMap((p) => queues.map((queue) => ({ queue, p })));
    const hintKeys = lanes.map(({ queue, p }) => this.keys.hints(queue, p));
    const popped = (await clientOf(blocking).call(
      "BLMPOP",
      seconds,
      hintKeys.length,
      ...hintKeys,
      "LEFT",
      "COUNT",
      max,
    )) as [string, string[]] | null;
    if (!popped) return null;
    return { queue: lanes[hintKeys.indexOf(popped[0])]!.queue, runs: popped[1] };
  }
}
