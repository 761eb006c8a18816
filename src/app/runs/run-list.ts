/**
 * Runs, newest first, a page at a time: the run index is a zset by creation time, so a page of
 * thousands of runs costs one range read and one pipelined HMGET per page, whatever the total.
 * Filters (workflow, status, text) walk further pages until the page is full.
 */
import { runIndexPage, type StoreHandle, type StoreKeys } from "../../store/index.js";

export const RUN_FIELDS = [
  "workflow",
  "version",
  "status",
  "created",
  "started",
  "finished",
  "who",
  "total",
  "n_succeeded",
  "n_failed",
  "n_skipped",
  "n_cancelled",
  "n_compensated",
  "reason",
  "held",
] as const;

export interface RunRow {
  id: string;
  workflow: string;
  version: number;
  status: string;
  /** Queued, held by its workflow's limit of concurrent runs. */
  waiting?: true;
  created: number;
  started?: number;
  finished?: number;
  who: string;
  total: number;
  /** Nodes finished one way or another (succeeded, failed, skipped, cancelled). */
  done: number;
  failed: number;
  reason?: string;
}

export interface RunFilter {
  workflow?: string;
  status?: string;
  /** Case-insensitive text found in the id, workflow, status or who started it. */
  text?: string;
}

export interface RunPage {
  rows: RunRow[];
  /** Where the next page starts in the index (pass it back as `from`), or undefined at the end. */
  next?: number;
}

const SCAN_PAGE = 200;

export function toRunRow(id: string, values: readonly (string | null)[]): RunRow | undefined {
  const f = Object.fromEntries(RUN_FIELDS.map((name, i) => [name, values[i] ?? ""])) as Record<
    (typeof RUN_FIELDS)[number],
    string
  >;
  if (f.status === "") return undefined;
  const n = (s: string) => Number(s || 0);
  return {
    id,
    workflow: f.workflow,
    version: n(f.version),
    status: f.status,
    created: n(f.created),
    ...(n(f.started) > 0 ? { started: n(f.started) } : {}),
    ...(n(f.finished) > 0 ? { finished: n(f.finished) } : {}),
    who: f.who,
    total: n(f.total),
    done: n(f.n_succeeded) + n(f.n_failed) + n(f.n_skipped) + n(f.n_cancelled) + n(f.n_compensated),
    failed: n(f.n_failed),
    ...(f.held === "1" && f.status === "queued" ? { waiting: true as const } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
  };
}

export function matchesRun(row: RunRow, filter: RunFilter): boolean {
  if (filter.status && row.status !== filter.status) return false;
  if (filter.workflow && row.workflow !== filter.workflow) return false;
  const text = filter.text?.trim().toLowerCase();
  if (!text) return true;
  return [row.id, `${row.workflow}@${row.version}`, row.status, row.who].some((s) =>
    s.toLowerCase().includes(text),
  );
}

/** Up to `limit` runs matching `filter`, starting at index position `from` (0 = newest). */
export async function listRuns(
  redis: StoreHandle,
  keys: StoreKeys,
  filter: RunFilter,
  limit: number,
  from = 0,
): Promise<RunPage> {
  const rows: RunRow[] = [];
  let offset = from;
  for (;;) {
    const page = await runIndexPage(redis, keys, filter.workflow, offset, SCAN_PAGE, RUN_FIELDS);
    if (page.length === 0) return { rows };
    for (let i = 0; i < page.length; i++) {
      const row = toRunRow(page[i]!.id, page[i]!.values);
      if (!row || !matchesRun(row, filter)) continue;
      rows.push(row);
      if (rows.length === limit) return { rows, next: offset + i + 1 };
    }
    offset += page.length;
    if (page.length < SCAN_PAGE) return { rows };
  }
}

/** `1.2s`, `3m04s`, `2h05m`: how long a run or node took, or has been going. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function runDuration(row: { started?: number; finished?: number }, now: number): string {
  return row.started ? formatDuration((row.finished ?? now) - row.started) : "-";
}
