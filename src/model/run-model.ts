/**
 * The run model, defined once: run and node states, which of them are final, the moves allowed
 * between them, and the events a run's stream carries. The Lua scripts (through a generated
 * prelude), the engine, the app, the CLI, the themes and the monitor all take it from here.
 */

/**
 * `compensating`: a saga being undone (the run failed, or was cancelled with `--compensate`): the
 * compensations of the tasks that succeeded run one at a time, the last one done first. It ends
 * `compensated`, or `compensation_failed` when a compensation could not undo its task.
 * `partially_succeeded`: every node ended, and some failed but let the run go on
 * (`continueOnFailure`, Dagu's `continueOn: {failure: true}`).
 */
export const RUN_STATES = [
  "queued",
  "running",
  "compensating",
  "succeeded",
  "partially_succeeded",
  "failed",
  "cancelled",
  "compensated",
  "compensation_failed",
] as const;
export type RunStatus = (typeof RUN_STATES)[number];

/**
 * `waiting`: a delay node holding its place in Redis until its time comes (no worker slot held).
 * `retrying`: a failed attempt waiting for its backoff before the next one.
 * `compensating`: a task that succeeded, its compensation under way; `compensated`: undone.
 */
export const NODE_STATES = [
  "pending",
  "queued",
  "running",
  "retrying",
  "waiting",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
  "compensating",
  "compensated",
] as const;
export type NodeStatus = (typeof NODE_STATES)[number];

/** Run states a run does not leave (until someone retries it). */
export const FINAL_RUN: ReadonlySet<string> = new Set<RunStatus>([
  "succeeded",
  "partially_succeeded",
  "failed",
  "cancelled",
  "compensated",
  "compensation_failed",
]);
/** Node states a node's attempt ends in. */
export const FINAL_NODE: ReadonlySet<string> = new Set<NodeStatus>([
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
  "compensated",
]);

/** The theme token a run's state is drawn with (run states share the node states' colours). */
export const runToken = (status: string): string =>
  `status.${status === "compensation_failed" ? "failed" : status === "partially_succeeded" ? "retrying" : status}`;

/** Whether a run may still change without a retry (queued, running or compensating). */
export const isActiveRun = (status: string | undefined): boolean =>
  status !== undefined && status !== "" && !FINAL_RUN.has(status);

/** Where a run may go from each state. A finished run goes back to running when retried. */
export const RUN_TRANSITIONS: { readonly [S in RunStatus]: readonly RunStatus[] } = {
  queued: ["running", "cancelled"],
  running: ["succeeded", "partially_succeeded", "failed", "cancelled", "compensating"],
  compensating: ["compensated", "compensation_failed"],
  succeeded: ["running"],
  partially_succeeded: ["running"],
  failed: ["running"],
  cancelled: ["running"],
  compensated: ["running"],
  compensation_failed: ["running"],
};

/**
 * Where a node may go from each state. A running node goes back to `queued` when its lease
 * expires or its worker gives it back; every final state goes back to `pending` when the run
 * is retried and the node is to run again.
 */
export const NODE_TRANSITIONS: { readonly [S in NodeStatus]: readonly NodeStatus[] } = {
  pending: ["queued", "skipped", "cancelled"],
  queued: ["running", "cancelled"],
  running: ["succeeded", "failed", "retrying", "waiting", "queued", "cancelled"],
  retrying: ["queued", "cancelled"],
  waiting: ["queued", "succeeded", "failed", "cancelled"],
  succeeded: ["pending", "compensating"],
  failed: ["pending"],
  skipped: ["pending"],
  cancelled: ["pending"],
  // Back to succeeded when its compensation failed or was stopped: the task's effect stays.
  compensating: ["compensated", "succeeded"],
  compensated: ["pending"],
};

const RUN_SET: ReadonlySet<string> = new Set(RUN_STATES);
const NODE_SET: ReadonlySet<string> = new Set(NODE_STATES);

export const isRunStatus = (s: string): s is RunStatus => RUN_SET.has(s);
export const isNodeStatus = (s: string): s is NodeStatus => NODE_SET.has(s);

/** Whether a node (or, given run states, a run) may move from `from` to `to`. */
export function canTransition(from: NodeStatus, to: NodeStatus): boolean;
export function canTransition(from: RunStatus, to: RunStatus, of: "run"): boolean;
export function canTransition(from: string, to: string, of: "node" | "run" = "node"): boolean {
  const table: Record<string, readonly string[]> =
    of === "run" ? RUN_TRANSITIONS : NODE_TRANSITIONS;
  return table[from]?.includes(to) ?? false;
}

/** Node events that are not a state: the attempt went back to its queue (the node is `queued`). */
export const NODE_NOTICES = ["released", "lease-expired"] as const;
export type NodeNotice = (typeof NODE_NOTICES)[number];

/** Run events: the run's new state, or `retrying` when an operator starts a new attempt. */
export const RUN_EVENT_KINDS = [...RUN_STATES, "retrying"] as const;
export type RunEventKind = (typeof RUN_EVENT_KINDS)[number];

export type NodeEventStatus = NodeStatus | NodeNotice;
export type RunEventStatus = `run:${RunEventKind}`;
export type EventStatus = NodeEventStatus | RunEventStatus;

/** Every status a stream entry may carry. */
export const EVENT_STATUSES: readonly EventStatus[] = [
  ...NODE_STATES,
  ...NODE_NOTICES,
  ...RUN_EVENT_KINDS.map((k): RunEventStatus => `run:${k}`),
];
const EVENT_SET: ReadonlySet<string> = new Set(EVENT_STATUSES);
export const isEventStatus = (s: string): s is EventStatus => EVENT_SET.has(s);

/**
 * One change in a run's stream, with the entry's time `t` (ms, as written). A node event names
 * its node; a run event has node "" and status `run:<kind>`. Values stay text as Redis keeps
 * them; fields a later script adds ride along.
 */
export interface NodeEvent {
  [field: string]: string | undefined;
  t: string;
  node: string;
  status: NodeEventStatus;
  /** running: the attempt number; queued after a retry: its attempt. */
  attempt?: string;
  /** running: the worker that took it. */
  worker?: string;
  /** retrying, failed: what went wrong. */
  error?: string;
  /** retrying: the attempt to come and when it is due (ms). */
  next_attempt?: string;
  due?: string;
}

export interface RunLevelEvent {
  [field: string]: string | undefined;
  t: string;
  node: "";
  status: RunEventStatus;
  /** run:retrying: the new attempt and who started it. */
  attempt?: string;
  who?: string;
}

export type RunEvent = NodeEvent | RunLevelEvent;

export const isRunLevel = (e: RunEvent): e is RunLevelEvent => e.node === "";

/** The run state (or `retrying`) a run event stands for. */
export const runEventKind = (e: RunLevelEvent): RunEventKind => e.status.slice(4) as RunEventKind;

/**
 * The events of one stream entry, in order, each with the entry's time. The entry is "t" <ms>,
 * then per change "node" <id> "status" <s> and that change's own fields. A change whose status
 * the model does not know is left out (a newer writer's event an older reader cannot place).
 */
export function entryEvents(flat: readonly string[]): RunEvent[] {
  const events: RunEvent[] = [];
  let t = "";
  let current: Record<string, string> | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    const value = flat[i + 1]!;
    if (field === "t" && !current) t = value;
    else if (field === "node") {
      current = { t, node: value, status: "" };
      events.push(current as RunEvent);
    } else if (current) current[field] = value;
  }
  return events.every((e) => isEventStatus(e.status))
    ? events
    : events.filter((e) => isEventStatus(e.status));
}

/**
 * "<node>#<i>" is item i of map node <node> (node ids never hold "#"); the outputs hash also keeps
 * a map's working state under "<node>#map" and "<node>#items".
 */
export function mapItemOf(id: string): { base: string; index?: number } {
  const at = id.indexOf("#");
  return at < 0 ? { base: id } : { base: id.slice(0, at), index: Number(id.slice(at + 1)) };
}

/** Whether a record, event or output field is a map's item or working state, not a node. */
export const isMapPart = (id: string): boolean => id.includes("#");

/**
 * A run's `priority` (`weft run --priority N`): workers looking for work take runs of higher
 * priority first. Each priority is a lane of hints of its own, so the range is small.
 */
export const RUN_PRIORITY = { min: -10, max: 10 } as const;

/** The priorities of hint lanes, in the order workers look at them (highest first). */
export const PRIORITY_LANES: readonly number[] = Array.from(
  { length: RUN_PRIORITY.max - RUN_PRIORITY.min + 1 },
  (_, i) => RUN_PRIORITY.max - i,
);
