/** What the parts of one worker share: its settings, its slots, its clock and its background calls. */
import type { Background } from "./background.js";
import type { Clock } from "./clock.js";
import type { Engine } from "./engine.js";
import type { SlotGate } from "./slot-gate.js";
import type { WorkerEvent } from "./worker-options.js";

export interface WorkerContext {
  engine: Engine;
  clock: Clock;
  id: string;
  queues: string[];
  leaseMs: number;
  /** The one run driven (`weft run --wait`): no hints, no sweep. */
  onlyRun: string | undefined;
  gate: SlotGate;
  background: Background;
  /** Events for the caller, when it listens (no event is built otherwise). */
  emit: ((e: WorkerEvent) => void) | undefined;
  /**
   * Whether Redis calls stop being tried again: only a stopping worker past its deadline gives
   * up (its leases then lapse and its nodes run elsewhere); otherwise it waits for Redis.
   */
  givingUp(): boolean;
}

/** A run's queue to claim from: popped from the hints, or seen in an earlier reply. */
export interface Target {
  id: string;
  queue: string;
  /** How many nodes were ready there when last seen; unknown for a hint. */
  ready?: number;
}
