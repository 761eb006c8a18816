/**
 * A run's node states as the monitor keeps them: seeded from one read of the run, then moved on
 * by the events of its stream, so a 500-node run is followed without polling each node.
 */
import {
  FINAL_NODE,
  FINAL_RUN,
  isActiveRun,
  isMapPart,
  isNodeStatus,
  isRunLevel,
  type NodeStatus,
  type RunEvent,
  runEventKind,
} from "../../model/run-model.js";
import type { RunRecord } from "../../store/index.js";

export interface NodeState {
  status: NodeStatus;
  attempt: number;
  start?: number;
  end?: number;
  error?: string;
  /** Succeeded with the output from the cache (the handler did not run). */
  cached?: boolean;
  /** A map node's items done, `37/100`, while they run. */
  progress?: string;
  /** Queued, waiting for a place under its `concurrency` (other runs hold them all). */
  waitingFor?: "limit";
}

export interface LiveRun {
  status: string;
  started?: number;
  finished?: number;
  nodes: Map<string, NodeState>;
  /** When each node's state last changed (its event's time), for lag measurement. */
  changedAt: Map<string, number>;
}

export function liveRun(
  fields: Record<string, string>,
  nodes: Record<string, Omit<NodeState, "attempt"> & { attempt?: number }>,
): LiveRun {
  return {
    status: fields.status ?? "queued",
    ...(Number(fields.started) > 0 ? { started: Number(fields.started) } : {}),
    ...(Number(fields.finished) > 0 ? { finished: Number(fields.finished) } : {}),
    // A map's items ("<node>#<i>") are not nodes: their node shows their progress instead.
    nodes: new Map(
      Object.entries(nodes)
        .filter(([id]) => !isMapPart(id))
        .map(([id, n]) => [id, { attempt: 0, ...n }]),
    ),
    changedAt: new Map(),
  };
}

/**
 * Applies events in order. Returns whether the run should be read again whole: a retry resets
 * nodes without an event each, and a finished run's fields (reason, finish time) are worth
 * one read.
 */
export function applyEvents(live: LiveRun, events: readonly RunEvent[]): { reread: boolean } {
  let reread = false;
  for (const e of events) {
    const t = Number(e.t);
    if (isRunLevel(e)) {
      const status = runEventKind(e);
      live.status = status;
      if (status === "running") live.started ??= t;
      if (status === "retrying" || FINAL_RUN.has(status)) reread = true;
      if (!isActiveRun(status) && status !== "retrying") live.finished = t;
      else delete live.finished;
      continue;
    }
    if (isMapPart(e.node)) continue;
    if (e.status === "running" && e.progress !== undefined) {
      const n = live.nodes.get(e.node);
      if (n) n.progress = e.progress;
      live.changedAt.set(e.node, t);
      continue;
    }
    if (!isNodeStatus(e.status)) {
      // lease-expired, released: the node goes back to its queue.
      if (e.status === "lease-expired" || e.status === "released") {
        const n = live.nodes.get(e.node);
        if (n) n.status = "queued";
        live.changedAt.set(e.node, t);
      }
      continue;
    }
    const n: NodeState = live.nodes.get(e.node) ?? { status: "pending", attempt: 0 };
    n.status = e.status;
    if (e.status === "queued" && e.waiting === "limit") n.waitingFor = "limit";
    else delete n.waitingFor;
    if (e.status === "succeeded") n.cached = e.cached === "1";
    if (e.status !== "running") delete n.progress;
    if (e.status === "running") {
      n.attempt = Number(e.attempt ?? n.attempt);
      n.start = t;
      delete n.end;
      delete n.cached;
    } else if (e.status === "retrying") {
      n.end = t;
      if (e.error) n.error = e.error;
    } else if (e.status === "queued") {
      n.attempt = Math.max(1, n.attempt);
    } else if (e.status !== "waiting" && e.status !== "compensating" && e.status !== "compensated")
      n.end = t;
    live.nodes.set(e.node, n);
    live.changedAt.set(e.node, t);
  }
  return { reread };
}

export type EdgeState = "taken" | "skipped" | "idle";

/** An edge is taken once its source succeeded and its target moved; skipped when either end was. */
export function edgeState(live: LiveRun, from: string, to: string): EdgeState {
  const source = live.nodes.get(from)?.status;
  const target = live.nodes.get(to)?.status;
  if (source === "skipped" || target === "skipped") return "skipped";
  const finished =
    source === "succeeded" ||
    source === "failed" ||
    source === "compensating" ||
    source === "compensated";
  if (finished && target && target !== "pending") return "taken";
  return "idle";
}

export function countStates(live: LiveRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of live.nodes.values()) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return counts;
}

export interface AttemptInfo {
  attempt: number;
  start?: number;
  end?: number;
  status: string;
  error?: string;
  worker?: string;
}

/** A node's attempts from its events: when each started and ended, and how it ended. */
export function attemptsOf(
  history: readonly RunEvent[],
  now: RunRecord["nodes"][string] | undefined,
  lastError: string | undefined,
): AttemptInfo[] {
  const attempts = new Map<number, AttemptInfo>();
  let current = 0;
  for (const e of history) {
    const t = Number(e.t);
    if (e.status === "running") {
      current = Number(e.attempt ?? current + 1);
      attempts.set(current, {
        attempt: current,
        start: t,
        status: "running",
        ...(e.worker ? { worker: e.worker } : {}),
      });
      continue;
    }
    const a = attempts.get(current);
    if (!a || a.end !== undefined) continue;
    if (e.status === "retrying") Object.assign(a, { end: t, status: "failed", error: e.error });
    else if (e.status === "lease-expired" || e.status === "released")
      Object.assign(a, { end: t, status: e.status });
    else if (FINAL_NODE.has(e.status)) Object.assign(a, { end: t, status: e.status });
  }
  const list = [...attempts.values()];
  const last = list.at(-1);
  if (last && last.status === "failed" && !last.error && lastError) last.error = lastError;
  if (last && now?.status === "failed" && last.status === "failed") last.error ??= lastError;
  return list;
}
