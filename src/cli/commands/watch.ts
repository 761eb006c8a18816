/** Following a run's event stream (XREAD BLOCK): a line per node change until it finishes. */
import type { Engine } from "../../engine/index.js";
import type { RedisClient } from "../../store/index.js";
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
): Promise<string> {
  const key = engine.keys.run(id).events;
  const reader = follow ? redis.duplicate() : redis;
  let last = "0";
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
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
          io.stdout.write(`${formatEvent(fields)}\n`);
          const status = fields.status?.replace(/^run:/, "") ?? "";
          if (fields.node === "" && FINAL.has(status)) return status;
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
