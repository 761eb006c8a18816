/**
 * Reporting a failed attempt, its retry already decided: one transition, then what follows from
 * the answer (the event, hints of nodes it made ready, a look at the run when the retry is due).
 */
import { isActiveRun } from "../store/index.js";
import type { LoadedRun } from "./engine.js";
import type { Notices } from "./notices.js";
import type { FailureDecision } from "./retry-policy.js";
import type { WorkerContext } from "./worker-context.js";

/** A failed attempt, decided, waiting to be reported. */
export interface FailureReport {
  run: LoadedRun;
  node: string;
  attempt: number;
  token: number;
  error: string;
  decision: FailureDecision;
  ms: number;
}

/** Throws when Redis cannot be reached; the caller keeps the report for another try. */
export async function reportFailure(
  ctx: WorkerContext,
  notices: Notices,
  f: FailureReport,
): Promise<void> {
  const { run, node, attempt, token, error, decision } = f;
  const answer = await ctx.engine.runs.fail(
    run.id,
    run.queues,
    node,
    token,
    error,
    decision.mode,
    decision.dueMs,
    ctx.clock.now(),
  );
  const retry = decision.mode === "retry";
  ctx.emit?.({
    run: run.id,
    node,
    attempt,
    status: answer.stale ? "stale" : retry ? "retrying" : "failed",
    error,
    ms: f.ms,
  });
  const finished = !isActiveRun(answer.status);
  // Failed for good (its retries spent, or it aborted the run): kept as a dead letter.
  if (!answer.stale && !retry)
    await ctx.engine.deadLettered(run.id, [{ node, error }]).catch(() => undefined);
  notices.send({
    hints: answer.touched.map((queue) => ({ id: run.id, queue })),
    // Look at the run when the retry is due (an earlier look stays).
    lookAt: retry ? [{ id: run.id, when: decision.dueMs }] : [],
    finished: !answer.stale && finished ? [run.id] : [],
  });
}
