/**
 * The sweep: active runs whose time has come (a retry due, a lease ending, or just a while since
 * anyone looked) are promoted: due retries and expired leases go back to their ready lists, and
 * every queue with ready nodes is hinted again. Any worker may sweep; doing it twice is harmless.
 */
import { isActiveRun, LOOK_AGAIN_MS } from "../store/index.js";
import type { Engine } from "./engine.js";

export async function sweepDueRuns(
  engine: Engine,
  now: number,
  hint: (id: string, queues: string[]) => void,
  limit = 100,
): Promise<void> {
  const due = await engine.sweepIndex.due(now, limit);
  await Promise.all(
    due.map(async (runId) => {
      const queues = engine.loadedRun(runId)?.queues ?? (await engine.runs.queuesOf(runId));
      const result = await engine.runs.promote(runId, queues, now);
      await engine.deadLettered(runId, result.dead);
      if (!isActiveRun(result.status)) {
        await engine.sweepIndex.remove(runId);
        await engine.runsEnded([runId]);
        return;
      }
      // Still waiting for its workflow's limit: look at the gate (a place may be free).
      if (result.status === "queued") await engine.checkGate(runId);
      await engine.sweepIndex.reschedule(
        runId,
        result.nextDue > 0 ? result.nextDue : now + LOOK_AGAIN_MS,
      );
      hint(runId, result.touched);
    }),
  );
}
