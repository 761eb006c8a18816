/**
 * The audit stream: who saved, imported, deleted, started, retried and cancelled what, when,
 * from where. Fields are stored as given; whoever prints them escapes control characters
 * (`escapeControl`), so a name with a newline or an escape sequence cannot forge a row.
 */
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";
import { AUDIT_MAX_LENGTH } from "./registry.js";

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
  /** The run an operator acted on (retry, cancel). */
  run?: string;
}

/** An operator's action, written beside the registry's own entries (which its scripts write). */
export interface AuditAction {
  who: string;
  host: string;
  /** ms */
  time: number | string;
  action: string;
  run?: string;
  workflow?: string;
  version?: number;
  message?: string;
}

/** Entries in one round trip (a batch of runs started together is one call). */
export async function appendAudits(
  handle: StoreHandle,
  keys: StoreKeys,
  entries: readonly AuditAction[],
): Promise<void> {
  const pipeline = clientOf(handle).pipeline();
  for (const entry of entries) {
    const fields: string[] = [];
    for (const [field, value] of Object.entries(entry))
      if (value !== undefined) fields.push(field, String(value));
    pipeline.xadd(keys.audit, "MAXLEN", "~", String(AUDIT_MAX_LENGTH), "*", ...fields);
  }
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}

export async function readAudit(
  handle: StoreHandle | RedisClient,
  keys: StoreKeys,
  options: { sinceMs?: number; limit?: number } = {},
): Promise<AuditEntry[]> {
  const start = options.sinceMs === undefined ? "-" : `${options.sinceMs}-0`;
  const rows =
    options.limit === undefined
      ? await clientOf(handle).xrange(keys.audit, start, "+")
      : await clientOf(handle).xrange(keys.audit, start, "+", "COUNT", options.limit);
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
    if (f.run) entry.run = f.run;
    return entry;
  });
}
