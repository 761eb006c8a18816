/** Following a run's event stream (XREAD BLOCK): a line per node change until it finishes. */
import type { Engine } from "../../engine/index.js";
import { entryEvents, type RedisClient, type RunEvent } from "../../store/index.js";
import type { CliIo } from "../io.js";

const FINAL = new Set(["succeeded", "failed", "cancelled"]);

function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

export function formatEvent(fields: Record<string, string>): string {
  const time = clock(Number(fields.t));
  if (fields.node === "") return `${time}  run ${fields.status?.replace(/^run:/, "")}`;
  const extra = [
    fields.attempt && `attempt ${fields.attempt}`,
    fields.error && `error: ${fields.error}`,
    fields.due && `next try at ${clock(Number(fields.due))}`,
  ]
    .filter(Boolean)
    .join(", ");
  return `${time}  ${fields.node}  ${fields.status}${extra ? `  (${extra})` : ""}`;
}

/** Prints events from the start; returns the run's final status (follow) or its current one. */
export async function followEvents(
  redis: RedisClient,
  engine: Engine,
  id: string,
  io: CliIo,
  follow: boolean,
  onlyNew = false,
): Promise<string> {
  const key = engine.keys.run(id).events;
  const reader = follow ? redis.duplicate() : redis;
  // A retried run already has events; `onlyNew` starts at its latest "retrying" one.
  let last = "0";
  if (onlyNew) {
    const retry = await lastRetry(redis, key);
    if (retry) {
      for (const event of retry.events) io.stdout.write(`${formatEvent(event)}\n`);
      last = retry.id;
    }
  }
  try {
    for (;;) {
      const reply = (
        follow
          ? await reader.xread("BLOCK", 1000, "STREAMS", key, last)
          : await reader.xread("STREAMS", key, last)
      ) as [string, [string, string[]][]][] | null;
      for (const [, entries] of reply ?? []) {
        for (const [entryId, flat] of entries) {
          last = entryId;
          let final: string | undefined;
          for (const event of entryEvents(flat)) {
            io.stdout.write(`${formatEvent(event)}\n`);
            const status = event.status.replace(/^run:/, "");
            if (event.node === "" && FINAL.has(status)) final = status;
          }
          if (final) return final;
        }
      }
      if (!follow) return (await engine.status(id)).fields.status ?? "";
      if (!reply) {
        const status = (await engine.status(id)).fields.status ?? "";
        if (FINAL.has(status)) return status;
      }
    }
  } finally {
    if (follow) reader.disconnect();
  }
}

async function lastRetry(
  redis: RedisClient,
  key: string,
): Promise<{ id: string; events: RunEvent[] } | undefined> {
  const recent = await redis.xrevrange(key, "+", "-", "COUNT", 500);
  for (const [id, flat] of recent) {
    const events = entryEvents(flat);
    const at = events.findIndex((e) => e.node === "" && e.status === "run:retrying");
    if (at >= 0) return { id, events: events.slice(at) };
  }
  return undefined;
}
