/**
 * What becomes of a node after a failed attempt, and when to try Redis again after a call
 * failed: plain values in, a decision out. Pure: time and chance come in as values, so every
 * branch is tested without Redis or timers. (A node whose workers keep dying is decided in
 * Redis, by promote-run.lua, since no worker lives to decide it.)
 */
import { someLineMatches } from "../spec/index.js";
import type { FailureMode } from "../store/index.js";
import { type PlanNode, type RetryPolicy, retryDelayMs } from "./plan.js";

export type { FailureMode } from "../store/index.js";

export interface FailureDecision {
  mode: FailureMode;
  /** When the retry is due; `now` when there is none. */
  dueMs: number;
}

export interface FailedAttempt {
  /** False for errors listed as non-retryable, and for cancels. */
  retryable: boolean;
  /** The handler stops the whole run: no retry, whatever `continueOnFailure` says. */
  abort?: boolean;
  /** The attempt that failed, 1-based. */
  attempt: number;
  policy: RetryPolicy;
  continueOnFailure: boolean;
  now: number;
  /** In [0, 1): spreads retries when the policy asks for jitter. */
  random: number;
}

export function decideFailure(f: FailedAttempt): FailureDecision {
  const retry = !f.abort && f.retryable && f.attempt <= f.policy.max;
  return {
    mode: f.abort ? "abort" : retry ? "retry" : f.continueOnFailure ? "continue" : "fail",
    dueMs: f.now + (retry ? retryDelayMs(f.policy, f.attempt, f.random) : 0),
  };
}

/**
 * Whether a failure, its retries spent, lets the run go on: every failure with
 * `continueOnFailure`, else one whose code `continueOn.codes` lists or whose stdout has a line
 * that `continueOn.output` matches (Dagu's continueOn).
 */
export function goesOnPast(
  node: Pick<PlanNode, "continueOnFailure" | "continueOn">,
  failure: { code?: number | string; stdout?: string },
): boolean {
  if (node.continueOnFailure) return true;
  const rule = node.continueOn;
  if (!rule) return false;
  if (failure.code !== undefined && rule.codes.includes(String(failure.code))) return true;
  return failure.stdout !== undefined && someLineMatches(failure.stdout, rule.output);
}

export const OUTAGE_FIRST_WAIT_MS = 100;
export const OUTAGE_MAX_WAIT_MS = 2_000;

/** The wait before trying Redis again after `failures` failures in a row: 100 ms doubling to 2 s. */
export function outageBackoffMs(failures: number): number {
  const doublings = Math.max(0, Math.min(failures - 1, 16));
  return Math.min(OUTAGE_MAX_WAIT_MS, OUTAGE_FIRST_WAIT_MS * 2 ** doublings);
}
