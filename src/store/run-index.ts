/**
 * The run indexes, newest first: all runs, or one workflow's. A page costs one range read and one
 * pipelined HMGET of the fields asked for, whatever the total.
 */
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

/** Runs at positions `from` to `from + count - 1`, each with the values of `fields` (null: unset). */
export async function runIndexPage(
  handle: StoreHandle,
  keys: StoreKeys,
  workflow: string | undefined,
  from: number,
  count: number,
  fields: readonly string[],
): Promise<{ id: string; values: (string | null)[] }[]> {
  const redis = clientOf(handle);
  const index = workflow ? keys.runsOfWorkflow(workflow) : keys.runIndex;
  const ids = await redis.zrevrange(index, from, from + count - 1);
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(keys.run(id).meta, ...fields);
  const replies = (await pipeline.exec()) ?? [];
  return ids.map((id, i) => ({ id, values: (replies[i]?.[1] ?? []) as (string | null)[] }));
}

/** Redis's INFO text (version, memory, keys), for `weft redis status`. */
export function serverInfo(handle: StoreHandle): Promise<string> {
  return clientOf(handle).info();
}
