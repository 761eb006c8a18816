/** The audit stream: who saved, imported, deleted (and later ran, cancelled) what, when, from where. */
import type { RedisClient } from "./connect.js";
import type { StoreKeys } from "./keys.js";

export interface AuditEntry {
  id: string;
  time: number;
  who: string;
  host: string;
  action: string;
  workflow?: string;
  version?: number;
  hash?: string;
  message?: string;
}

export async function readAudit(
  redis: RedisClient,
  keys: StoreKeys,
  options: { sinceMs?: number; limit?: number } = {},
): Promise<AuditEntry[]> {
  const start = options.sinceMs === undefined ? "-" : `${options.sinceMs}-0`;
  const rows =
    options.limit === undefined
      ? await redis.xrange(keys.audit, start, "+")
      : await redis.xrange(keys.audit, start, "+", "COUNT", options.limit);
  return rows.map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    const entry: AuditEntry = {
      id,
      time: Number(f.time ?? id.split("-")[0]),
      who: f.who ?? "",
      host: f.host ?? "",
      action: f.action ?? "",
    };
    if (f.workflow) entry.workflow = f.workflow;
    if (f.version) entry.version = Number(f.version);
    if (f.hash) entry.hash = f.hash;
    if (f.message) entry.message = f.message;
    return entry;
  });
}
