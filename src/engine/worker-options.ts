/** What a worker's callers see: its options, the events it reports, and why it hands nodes back. */
import type { Clock } from "./clock.js";

export interface WorkerEvent {
  run: string;
  node: string;
  attempt: number;
  status: "running" | "succeeded" | "failed" | "retrying" | "stale";
  error?: string;
  ms?: number;
}

/** Why a node's signal aborts when its worker stops: the node is handed back, not failed. */
export class ShutdownError extends Error {
  constructor() {
    super("the worker is shutting down");
  }
}

export interface WorkerOptions {
  queues?: string[];
  concurrency?: number;
  leaseMs?: number;
  id?: string;
  /** Drive this run only (`weft run --wait`): no hints, stop when it finishes. */
  onlyRun?: string;
  onEvent?: (e: WorkerEvent) => void;
  /** How often due retries and expired leases are looked for. */
  sweepMs?: number;
  random?: () => number;
  /** The worker's time; the engine's clock by default. */
  clock?: Clock;
}
