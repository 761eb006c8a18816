/**
 * What the run scripts (lua/*-run.lua) are given and what they answer, and how their replies
 * are read into values: the vocabulary between the engine and RunStore.
 */
import type { NodeStatus, RunStatus } from "../model/run-model.js";
import { ScriptReplyError } from "./errors.js";

export interface NewRun {
  id: string;
  fields: Record<string, string | number>;
  queues: string[];
  /**
   * Flow nodes: id, queue, outgoing targets, incoming edge count; how many of its attempts may
   * be lost with their worker before it fails (default 2), and whether its failure lets the run
   * go on; a task's compensation.
   */
  nodes: {
    id: string;
    queue: string;
    out: string[];
    incoming: number;
    lostAttempts?: number;
    continueOnFailure?: boolean;
    compensation?: string;
    /** Higher runs first among the run's ready nodes of a queue. */
    priority?: number;
  }[];
  /** Held by its workflow's limit of concurrent runs until admitted (nothing queued before). */
  held?: boolean;
  /** Compensation nodes: they run only while a saga is undone. */
  compensations?: { id: string; queue: string; lostAttempts?: number }[];
  roots: string[];
}

export interface Claimed {
  node: string;
  attempt: number;
  token: number;
}

/** What a worker needs to know of a run it has not seen (see `claim`). */
export interface RunInfo {
  workflow: string;
  version: number;
  params: string;
  queues: string[];
  /** The run's priority (0 unless started with one). */
  priority: number;
}

export interface ClaimRequest {
  id: string;
  /** The run's queues, or only `queue` (a claim touches no other ready list). */
  queues: readonly string[];
  queue: string;
  max: number;
  /** Also read the run's fields (for a run this worker has not loaded yet). */
  withInfo?: boolean;
}

export interface ClaimResult {
  left: number;
  /** The run's current attempt (a retry of the run makes a new one). */
  runAttempt: number;
  info?: RunInfo;
  claimed: Claimed[];
}

export interface CompleteRequest {
  id: string;
  queues: readonly string[];
  done: readonly Completion[];
  /** Lease up to `max` of the nodes this releases on `queues` to the same worker. */
  claim?: { max: number; queues: readonly string[] };
}

export interface CompleteResult {
  stale: number;
  status: RunStatus;
  runAttempt: number;
  /** Queues left with ready nodes, and how many. */
  left: { queue: string; ready: number }[];
  claimed: Claimed[];
}

export interface Completion {
  node: string;
  token: number;
  output?: unknown;
  /** Targets whose edges are taken: "all", or a list (empty: none). */
  taken: "all" | string[];
  /** A delay node: it waits in Redis until then (ms), holding no worker, then takes all. */
  waitUntil?: number;
  /** The output came from the cache (the event says so). */
  cached?: boolean;
  /** A map node: `output` is its items, which then run as items of their own, `limit` at a time. */
  map?: { count: number; limit: number };
}

export interface RunRecord {
  id: string;
  fields: Record<string, string>;
  nodes: Record<
    string,
    {
      status: NodeStatus;
      attempt: number;
      start?: number;
      end?: number;
      error?: string;
      /**
       * What to know of the result: what was cut from the output at its cap, or the failure
       * `continueOn.markSuccess` counted as a success.
       */
      note?: string;
      /** The output came from the cache: the handler did not run. */
      cached?: true;
      /** Queued, waiting for a place under its `concurrency` (other runs hold them all). */
      waitingFor?: "limit";
    }
  >;
}

/** A reply from `together`: the value, or the error thrown. */
export const thrown = (reply: unknown): unknown => {
  if (reply instanceof Error) throw reply;
  return reply;
};

export const asList = (reply: unknown, what: string): (string | number)[] => {
  if (!Array.isArray(reply)) throw new ScriptReplyError(`${what} replied ${JSON.stringify(reply)}`);
  return reply as (string | number)[];
};

function claimedFrom(reply: readonly unknown[], from: number): Claimed[] {
  const claimed: Claimed[] = [];
  for (let i = from; i + 2 < reply.length; i += 3)
    claimed.push({
      node: String(reply[i]),
      attempt: Number(reply[i + 1]),
      token: Number(reply[i + 2]),
    });
  return claimed;
}

export function parseClaim(value: unknown): ClaimResult | Error {
  if (value instanceof Error) return value;
  const reply = asList(value, "claim-run") as unknown[];
  const info = reply[2] as string[];
  return {
    left: Number(reply[0]),
    runAttempt: Number(reply[1]),
    ...(info.length === 5
      ? {
          info: {
            workflow: String(info[0]),
            version: Number(info[1]),
            params: String(info[2]),
            queues: String(info[3]).split(",").filter(Boolean),
            priority: Number(info[4] || 0),
          },
        }
      : {}),
    claimed: claimedFrom(reply, 3),
  };
}

export function parseComplete(value: unknown): CompleteResult | Error {
  if (value instanceof Error) return value;
  const reply = asList(value, "complete-run");
  const leftCount = Number(reply[3]);
  const left: { queue: string; ready: number }[] = [];
  for (let i = 0; i < leftCount; i++)
    left.push({ queue: String(reply[4 + 2 * i]), ready: Number(reply[5 + 2 * i]) });
  return {
    stale: Number(reply[0]),
    status: String(reply[1]) as RunStatus,
    runAttempt: Number(reply[2]),
    left,
    claimed: claimedFrom(reply, 4 + 2 * leftCount),
  };
}
