/**
 * A sub-workflow node's child run: one per attempt (its id says whose it is, so a redelivered
 * attempt finds the child it started). It runs on the workers serving its queues, or in this
 * process when `driveHere` is given; cancelling the parent cancels it.
 */
import { outputName, type Workflow } from "../spec/index.js";
import { FINAL_RUN } from "../store/index.js";
import type { Engine, LoadedRun } from "./engine.js";
import type { ChildResult } from "./execute.js";
import { sleepFor } from "./handlers/index.js";

export async function runChild(
  engine: Engine,
  parent: LoadedRun,
  node: string,
  attempt: number,
  ref: string,
  params: Record<string, unknown>,
  signal: AbortSignal,
  driveHere?: (id: string) => Promise<void>,
): Promise<ChildResult> {
  const id = `${parent.id}.${node}.${attempt}`;
  if (!(await engine.runs.exists(id))) {
    try {
      // A child goes in its parent's lane.
      const priority = await engine.runs.priorityOf(parent.id);
      await engine.startRun(ref, params, { id, parent: `${parent.id}:${node}`, priority });
    } catch (cause) {
      if (!(await engine.runs.exists(id))) throw cause;
    }
  }
  const onAbort = () =>
    void engine.cancelRun(id, `parent run ${parent.id} stopped`).catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await driveHere?.(id);
    for (;;) {
      const record = await engine.status(id);
      const status = record.fields.status;
      if (status === "succeeded") {
        const [outputs, child] = await Promise.all([engine.runs.outputs(id), engine.load(id)]);
        return { status, outputs: withNamedOutputs(child.plan.workflow, outputs), id };
      }
      if (status && FINAL_RUN.has(status))
        return {
          status: status as Exclude<ChildResult["status"], "succeeded">,
          reason: record.fields.reason ?? "",
          id,
        };
      if (signal.aborted) throw signal.reason;
      await sleepFor(100, signal);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * A child's result: each node's output by id, and under `outputs` the named ones (`output:
 * NAME`), as Dagu gives a sub-DAG's outputs to its parent (`${CHILD.outputs.NAME}`). A node whose
 * id is `outputs` keeps that key.
 */
export function withNamedOutputs(
  workflow: Workflow,
  outputs: Record<string, unknown>,
): Record<string, unknown> {
  if (Object.hasOwn(outputs, "outputs") || workflow.nodes.some((n) => n.id === "outputs"))
    return outputs;
  const named: Record<string, unknown> = {};
  for (const n of workflow.nodes) {
    const name = outputName(n);
    if (name !== undefined && Object.hasOwn(outputs, n.id)) named[name] = outputs[n.id];
  }
  return Object.keys(named).length > 0 ? { ...outputs, outputs: named } : outputs;
}
