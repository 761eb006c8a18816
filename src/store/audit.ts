/**
 * The audit stream: who saved, imported, deleted, started, retried and cancelled what, when,
 * from where. Fields are stored as given; whoever prints them escapes control characters
 * (`escapeControl`), so a name with a newline or an escape sequence cannot forge a row.
 */

import { isRole, ROLES } from "./acl.js";
import type { RedisClient } from "./connect.js";
import { clientOf, type StoreHandle } from "./handle.js";
import type { StoreKeys } from "./keys.js";

/** How many entries the shared stream keeps (roles' hashes are never trimmed but by admin). */
export const AUDIT_MAX_LENGTH = 100_000;

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
  /** The display name (WEFT_USER or the OS user) when `who` is the Redis ACL user. */
  name?: string;
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

/**
 * Where an actor's entries go: a weft role's own append-only hash (see acl.ts), nothing for the
 * worker (it has no audit), else the shared stream. `spec` is what includes/audit.lua takes.
 */
export function auditTarget(
  keys: StoreKeys,
  aclUser: string | undefined,
): { key: string; spec: string } {
  if (aclUser === "weft-worker") return { key: keys.audit, spec: "none" };
  if (isRole(aclUser)) return { key: keys.auditBy(aclUser), spec: `hash:${aclUser}` };
  return { key: keys.audit, spec: String(AUDIT_MAX_LENGTH) };
}

let sequence = 0;

/** Entries in one round trip (a batch of runs started together is one call). */
export async function appendAudits(
  handle: StoreHandle,
  keys: StoreKeys,
  entries: readonly AuditAction[],
  aclUser?: string,
): Promise<void> {
  const target = auditTarget(keys, aclUser);
  if (target.spec === "none" || entries.length === 0) return;
  const pipeline = clientOf(handle).pipeline();
  for (const entry of entries) {
    if (target.spec.startsWith("hash:")) {
      const { who, ...rest } = entry;
      const json = JSON.stringify({ ...rest, time: String(entry.time), who: aclUser, name: who });
      // HSETNX never overwrites: the id is the time, this process and a counter.
      const id = `${entry.time}-${process.pid}${String(++sequence).padStart(6, "0")}`;
      pipeline.hsetnx(target.key, id, json);
      continue;
    }
    const fields: string[] = [];
    for (const [field, value] of Object.entries(entry))
      if (value !== undefined) fields.push(field, String(value));
    pipeline.xadd(target.key, "MAXLEN", "~", target.spec, "*", ...fields);
  }
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}

function entryOf(id: string, f: Record<string, unknown>): AuditEntry {
  const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const entry: AuditEntry = {
    id,
    time: Number(f.time ?? id.split("-")[0]),
    who: text(f.who),
    host: text(f.host),
    action: text(f.action),
  };
  if (f.name) entry.name = text(f.name);
  if (f.workflow) entry.workflow = text(f.workflow);
  if (f.version) entry.version = Number(f.version);
  if (f.hash) entry.hash = text(f.hash);
  if (f.message) entry.message = text(f.message);
  if (f.run) entry.run = text(f.run);
  return entry;
}

/** Every entry since `sinceMs`, oldest first: the shared stream and each role's hash, merged. */
export async function readAudit(
  handle: StoreHandle | RedisClient,
  keys: StoreKeys,
  options: { sinceMs?: number; limit?: number } = {},
): Promise<AuditEntry[]> {
  const redis = clientOf(handle);
  const start = options.sinceMs === undefined ? "-" : `${options.sinceMs}-0`;
  const [rows, ...hashes] = await Promise.all([
    redis.xrange(keys.audit, start, "+"),
    ...ROLES.map((role) => redis.hgetall(keys.auditBy(role))),
  ]);
  const entries = rows.map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    return entryOf(id, f);
  });
  for (const hash of hashes)
    for (const [id, json] of Object.entries(hash)) {
      try {
        const entry = entryOf(id, JSON.parse(json) as Record<string, unknown>);
        if (options.sinceMs === undefined || entry.time >= options.sinceMs) entries.push(entry);
      } catch {
        entries.push(entryOf(id, { action: "(unreadable entry)", message: json }));
      }
    }
  entries.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  return options.limit === undefined ? entries : entries.slice(0, options.limit);
}
