/** Following a run's event stream (XREAD BLOCK): a line per node change until it finishes. */
import { applyEvents, countStates, type LiveRun, liveRun } from "../../app/runs/run-state.js";
import type { Engine } from "../../engine/index.js";
import {
  FINAL_NODE,
  FINAL_RUN,
  isMapPart,
  isRunLevel,
  type NodeStatus,
  type RunEvent,
  runEventKind,
} from "../../model/run-model.js";
import type { RunEvents } from "../../store/index.js";
import type { CliIo } from "../io.js";

function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

export function formatEvent(fields: RunEvent): string {
  const time = clock(Number(fields.t));
  if (isRunLevel(fields)) return `${time}  run ${runEventKind(fields)}`;
  const extra = [
    fields.attempt && `attempt ${fields.attempt}`,
    fields.error && `error: ${fields.error}`,
    fields.due && `next try at ${clock(Number(fields.due))}`,
    fields.by && `by ${fields.by}`,
    fields.undo && `its undo ${fields.undo}`,
    fields.cached && "from the cache",
    fields.waiting === "limit" && "waiting (limit): every place of its concurrency is taken",
    fields.progress && `${fields.progress} items`,
  ]
    .filter(Boolean)
    .join(", ");
  return `${time}  ${fields.node}  ${fields.status}${extra ? `  (${extra})` : ""}`;
}

/**
 * Whether a line is printed for an event: a map's items show only when they retry or fail, and
 * their node's progress every tenth of the way.
 */
export function worthALine(e: RunEvent): boolean {
  if (isRunLevel(e)) return true;
  if (isMapPart(e.node)) return e.status === "retrying" || e.status === "failed";
  if (e.status === "running" && e.progress !== undefined) {
    const [done, of] = e.progress.split("/").map(Number) as [number, number];
    return done === of || Math.floor((done * 10) / of) > Math.floor(((done - 1) * 10) / of);
  }
  return true;
}

export interface Progress {
  total: number;
  /** Nodes finished: succeeded, failed, skipped or cancelled. */
  done: number;
  running: number;
  failed: number;
}

/**
 * The one-line progress bar `weft run --wait` redraws on a terminal, at most `width` columns:
 * `[##########..........]  25/50  3 running  1 failed`. Letters carry the meaning (no colour).
 */
export function formatProgress(p: Progress, width: number): string {
  const label = [
    `${p.done}/${p.total}`,
    p.running > 0 ? `${p.running} running` : "",
    p.failed > 0 ? `${p.failed} failed` : "",
  ]
    .filter(Boolean)
    .join("  ");
  const barWidth = Math.max(10, Math.min(40, width - label.length - 5));
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(share * barWidth);
  const line = `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]  ${label}`;
  // One column short of the width: a line that fills it wraps on some terminals and the
  // bar would no longer redraw in place.
  return line.slice(0, Math.max(1, width - 1));
}

/** Each node's latest status, from the events seen (as the monitor keeps them), counted for the bar. */
export class ProgressCount {
  private readonly live: LiveRun;

  constructor(
    private readonly total: number,
    initial: Record<string, { status: NodeStatus; attempt?: number }> = {},
  ) {
    this.live = liveRun({}, initial);
  }

  see(event: RunEvent): void {
    applyEvents(this.live, [event]);
  }

  get progress(): Progress {
    const counts = countStates(this.live);
    let done = 0;
    for (const status of FINAL_NODE) done += counts[status] ?? 0;
    return {
      total: Math.max(this.total, this.live.nodes.size),
      done,
      running: counts.running ?? 0,
      failed: counts.failed ?? 0,
    };
  }
}

/** Where followed events go: plain lines, or lines with a bar redrawn below them on a terminal. */
function eventPrinter(io: CliIo, count: ProgressCount | undefined) {
  // A terminal that does not say its size (columns 0 or unknown) gets 80.
  const width = () => (io.stdout as { columns?: number }).columns || 80;
  let drawn = false;
  return {
    print(events: RunEvent[]) {
      if (events.length === 0) return;
      const lines = events
        .filter(worthALine)
        .map((e) => `${formatEvent(e)}\n`)
        .join("");
      if (!count) {
        io.stdout.write(lines);
        return;
      }
      for (const e of events) count.see(e);
      // Erase the bar, print the lines, draw the bar again under them (no newline).
      io.stdout.write(
        `${drawn ? "\r\x1b[2K" : ""}${lines}${formatProgress(count.progress, width())}`,
      );
      drawn = true;
    },
    /** Leaves the last bar on its own line. */
    end() {
      if (drawn) io.stdout.write("\n");
    },
  };
}

/**
 * Prints events from the start; returns the run's final status (follow) or its current one.
 * With `bar` (a terminal), a progress bar is redrawn under the lines as they come.
 */
export async function followEvents(
  runEvents: RunEvents,
  engine: Engine,
  id: string,
  io: CliIo,
  follow: boolean,
  onlyNew = false,
  bar = false,
): Promise<string> {
  let count: ProgressCount | undefined;
  if (bar) {
    const record = await engine.status(id);
    const total = Number(record.fields.total ?? Object.keys(record.nodes).length);
    // A retried run's untouched nodes keep their status: they are not in the new events.
    count = new ProgressCount(total, onlyNew ? record.nodes : {});
  }
  const printer = eventPrinter(io, count);
  // A retried run already has events; `onlyNew` starts at its latest "retrying" one.
  let last = "0";
  if (onlyNew) {
    const retry = await runEvents.lastRetry(id);
    if (retry) {
      printer.print(retry.events);
      last = retry.id;
    }
  }
  try {
    if (!follow) {
      const read = await runEvents.read(id, last);
      const shown = upToFinal(read.events);
      printer.print(shown.events);
      return shown.final ?? (await engine.status(id)).fields.status ?? "";
    }
    let final: string | undefined;
    let failure: Error | undefined;
    const follower = runEvents.follow(
      id,
      last,
      {
        onEvents: (events) => {
          const shown = upToFinal(events);
          printer.print(shown.events);
          final = shown.final;
          return final ? "stop" : undefined;
        },
        onIdle: async () => {
          const status = (await engine.status(id)).fields.status ?? "";
          if (!FINAL_RUN.has(status)) return undefined;
          final = status;
          return "stop";
        },
        onError: (error) => {
          failure = error;
        },
        // A line printer shows each transition as it happened, the bar redrawn under each.
        split: "entry",
      },
      1000,
    );
    await follower.done;
    if (failure) throw failure;
    return final ?? "";
  } finally {
    printer.end();
  }
}

/** The events up to the run's final one (the rest belong to a later attempt), and that state. */
function upToFinal(events: RunEvent[]): { events: RunEvent[]; final?: string } {
  const at = events.findIndex((e) => isRunLevel(e) && FINAL_RUN.has(runEventKind(e)));
  if (at < 0) return { events };
  const final = events[at]!;
  return { events: events.slice(0, at + 1), final: isRunLevel(final) ? runEventKind(final) : "" };
}
