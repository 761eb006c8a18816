/**
 * A sub-workflow node's child run: one per attempt (its id says whose it is, so a redelivered
 * attempt finds the child it started). It runs on the workers serving its queues, or in this
 * process when `driveHere` is given; cancelling the parent cancels it.
 */
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
      await engine.startRun(ref, params, { id, parent: `${parent.id}:${node}` });
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
      if (status === "succeeded") return { status, outputs: await engine.runs.outputs(id), id };
      if (status === "failed" || status === "cancelled")
        return { status, reason: record.fields.reason ?? "", id };
      if (signal.aborted) throw signal.reason;
      await sleepFor(100, signal);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
