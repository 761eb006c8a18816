/**
 * A saved workflow version compiled for execution: nodes by index with their resolved retry
 * policy and timeout, and each node's outgoing edges. Pure; the engine and its Lua scripts
 * work from this, never from the raw spec.
 */
import {
  compileLinePattern,
  DEFAULT_LIMITS,
  type Edge,
  type LinePattern,
  parseDuration,
  type Retries,
  type TaskNode,
  type Workflow,
  type WorkflowNode,
} from "../spec/index.js";

export const DEFAULT_QUEUE = "default";
export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
/** Between SIGTERM and SIGKILL when a handler is stopped (Kubernetes' terminationGracePeriod). */
export const DEFAULT_KILL_GRACE_MS = 5000;
/** Attempts a node may lose with their worker before it fails (BullMQ's maxStalledCount). */
export const DEFAULT_LOST_ATTEMPTS = 2;

export interface RetryPolicy {
  /** Retries after the first attempt (0: fail at once). */
  max: number;
  backoff: "fixed" | "exponential";
  initialMs: number;
  factor: number;
  maxDelayMs: number;
  jitter: boolean;
  nonRetryable: (number | string)[];
  abortOn: (number | string)[];
}

export interface ContinueRule {
  codes: string[];
  output: LinePattern[];
  markSuccess: boolean;
}

export interface PlanEdge {
  to: string;
  /** Decision branch, exclusive condition, or the exclusive default; none means always taken. */
  branch?: boolean;
  condition?: string;
  isDefault: boolean;
}

export interface PlanNode {
  id: string;
  node: WorkflowNode;
  queue: string;
  priority: number;
  incoming: number;
  out: PlanEdge[];
  retries: RetryPolicy;
  timeoutMs: number;
  killGraceMs: number;
  /** Bytes of stdout and of stderr a shell task keeps (`limits.maxStdout`, `limits.maxStderr`). */
  outputCaps: { stdout: number; stderr: number };
  lostAttempts: number;
  continueOnFailure: boolean;
  /** A task's `continueOn`: the failures besides any (continueOnFailure) that let the run go on. */
  continueOn?: ContinueRule;
  /** A task's `concurrency`: attempts at once across all runs of the workflow. */
  concurrency?: number;
}

export interface ExecutionPlan {
  workflow: Workflow;
  nodes: Map<string, PlanNode>;
  /** Nodes on the flow (compensation nodes excluded), in the author's order. */
  flow: string[];
  /** Flow nodes with no incoming edge: where a run starts. */
  roots: string[];
  /** Compensation nodes that some task names: they run only while a saga is undone. */
  compensations: string[];
}

/** Patterns that do not compile were refused by validation; a plan made anyway skips them. */
function continueRule(c: NonNullable<TaskNode["continueOn"]>): ContinueRule {
  return {
    codes: c.codes.map(String),
    output: c.output.flatMap((text) => {
      const pattern = compileLinePattern(text);
      return "error" in pattern ? [] : [pattern];
    }),
    markSuccess: c.markSuccess,
  };
}

const NO_RETRIES: RetryPolicy = {
  max: 0,
  backoff: "fixed",
  initialMs: 1000,
  factor: 2,
  maxDelayMs: 5 * 60 * 1000,
  jitter: false,
  nonRetryable: [],
  abortOn: [],
};

function retryPolicy(r: Retries | undefined): RetryPolicy {
  if (!r) return NO_RETRIES;
  return {
    max: r.max,
    backoff: r.backoff,
    initialMs: parseDuration(r.initial) ?? 1000,
    factor: r.factor,
    maxDelayMs:
      r.maxDelay === undefined
        ? NO_RETRIES.maxDelayMs
        : (parseDuration(r.maxDelay) ?? NO_RETRIES.maxDelayMs),
    jitter: r.jitter,
    nonRetryable: r.nonRetryable,
    abortOn: r.abortOn,
  };
}

/** Delay before retry number `retry` (1-based); `random` in [0, 1) spreads retries when jitter is on. */
export function retryDelayMs(p: RetryPolicy, retry: number, random: number): number {
  const base = p.backoff === "exponential" ? p.initialMs * p.factor ** (retry - 1) : p.initialMs;
  const capped = Math.min(base, p.maxDelayMs);
  return Math.round(p.jitter ? capped * (0.5 + random / 2) : capped);
}

function planEdge(edge: Edge): PlanEdge {
  return {
    to: edge.to,
    ...(typeof edge.condition === "boolean" ? { branch: edge.condition } : {}),
    ...(typeof edge.condition === "string" ? { condition: edge.condition } : {}),
    isDefault: edge.default,
  };
}

/** Compiles a valid workflow (the registry only stores valid ones). */
export function compilePlan(workflow: Workflow): ExecutionPlan {
  const d = workflow.defaults;
  const outputCaps = {
    stdout: workflow.limits.maxStdout ?? DEFAULT_LIMITS.maxStdout,
    stderr: workflow.limits.maxStderr ?? DEFAULT_LIMITS.maxStderr,
  };
  const nodes = new Map<string, PlanNode>();
  for (const node of workflow.nodes) {
    const own = node.kind === "task" || node.kind === "compensation" ? node : undefined;
    const timeout = (own?.timeout ??
      (node.kind === "subworkflow" ? node.timeout : undefined) ??
      d.timeout) as string | undefined;
    const killGrace = own?.killGrace ?? d.killGrace;
    nodes.set(node.id, {
      id: node.id,
      node,
      queue: node.queue ?? d.queue ?? DEFAULT_QUEUE,
      priority: node.priority ?? d.priority ?? 0,
      incoming: 0,
      out: [],
      retries: retryPolicy(own?.retries ?? d.retries),
      timeoutMs: (timeout === undefined ? undefined : parseDuration(timeout)) ?? DEFAULT_TIMEOUT_MS,
      killGraceMs:
        (killGrace === undefined ? undefined : parseDuration(killGrace)) ?? DEFAULT_KILL_GRACE_MS,
      outputCaps,
      lostAttempts: node.lostAttempts ?? d.lostAttempts ?? DEFAULT_LOST_ATTEMPTS,
      continueOnFailure:
        node.kind === "task" || node.kind === "subworkflow" ? node.continueOnFailure : false,
      ...(node.kind === "task" && node.concurrency !== undefined
        ? { concurrency: node.concurrency }
        : {}),
      ...(node.kind === "task" && node.continueOn
        ? { continueOn: continueRule(node.continueOn) }
        : {}),
    });
  }
  for (const edge of workflow.edges) {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) continue;
    from.out.push(planEdge(edge));
    to.incoming++;
  }
  const flow = workflow.nodes.filter((n) => n.kind !== "compensation").map((n) => n.id);
  const compensations = workflow.nodes.flatMap((n) =>
    n.kind === "task" && n.compensation !== undefined && nodes.has(n.compensation)
      ? [n.compensation]
      : [],
  );
  return {
    workflow,
    nodes,
    flow,
    roots: flow.filter((id) => nodes.get(id)!.incoming === 0),
    compensations: [...new Set(compensations)],
  };
}
