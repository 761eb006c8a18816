/**
 * How dead letters look on screen, as plain values: the columns for a width, one row per
 * letter cut to fit (never wrapped), the lines of a letter's details, and where the list's view
 * starts. No Ink here, so it is tested with strings.
 */
import type { DeadLetter } from "../../../app/runs/dead-letters.js";
import { cell } from "../../components/cell.js";
import { wrapLines } from "../../components/wrap-lines.js";
import { ago } from "../workflow-list.js";

// Escape sequences (colours a shell task printed) and other control characters would move the
// terminal's cursor: a row or a line shows none of them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of an error, printable: escapes dropped, tabs and other controls become spaces. */
export const printable = (line: string): string =>
  line.replace(ESCAPES, "").replace(CONTROLS, " ").trimEnd();

/** The error's first line with something on it. */
export function firstLine(error: string): string {
  const line = error.split(/\r?\n/).find((l) => printable(l).trim() !== "");
  return line === undefined ? "" : printable(line).trim();
}

/** `…` and the id's end (its random part: runs started together share the start). */
export const shortRun = (id: string): string => (id.length > 9 ? `…${id.slice(-8)}` : id);

export interface LetterColumns {
  /** The whole id when there is room, else its end. */
  fullId: boolean;
  run: number;
  workflow: number;
  node: number;
  attempts: number;
  age: number;
  error: number;
}

const clamp = (n: number, low: number, high: number) => Math.max(low, Math.min(high, n));

export function letterColumns(width: number): LetterColumns {
  const fullId = width >= 150;
  const run = fullId ? 26 : 9;
  const workflow = clamp(Math.floor(width * 0.2), 14, 32);
  const node = clamp(Math.floor(width * 0.16), 12, 28);
  const attempts = 5;
  const age = 8;
  const error = Math.max(0, width - (run + workflow + node + attempts + age + 5));
  return { fullId, run, workflow, node, attempts, age, error };
}

export function letterHeader(c: LetterColumns): string {
  return [
    cell("RUN", c.run),
    cell("WORKFLOW", c.workflow),
    cell("NODE", c.node),
    cell("TRIES", c.attempts),
    cell("FAILED", c.age),
    cell("LAST ERROR", c.error).trimEnd(),
  ].join(" ");
}

/** One letter on one line of at most the columns' width. */
export function letterRow(l: DeadLetter, c: LetterColumns, now: number): string {
  return [
    cell(c.fullId ? l.run : shortRun(l.run), c.run),
    cell(`${l.workflow}@${l.version}`, c.workflow),
    cell(l.node, c.node),
    cell(String(l.attempts), c.attempts),
    cell(ago(l.at, now), c.age),
    cell(firstLine(l.error), c.error).trimEnd(),
  ].join(" ");
}

/** How many of the log's last lines the details show (`weft logs RUN NODE` has it all). */
export const LOG_TAIL = 20;

/**
 * The letter's details: every field, the whole error wrapped to `width`, the end of the node's
 * log (`undefined` while it is read), and what the keys do.
 */
export function letterDetails(
  l: DeadLetter,
  now: number,
  width: number,
  keys: { requeue: string; purge: string; open: string },
  more: { gone: boolean; log?: string | null },
): string[] {
  const wrap = (text: string) =>
    wrapLines(text.split(/\r?\n/).map(printable).join("\n"), Math.max(10, width - 2)).map(
      (line) => `  ${line}`,
    );
  const lines = [
    `run       ${l.run}`,
    `workflow  ${l.workflow}@${l.version}`,
    `node      ${l.node}`,
    `attempts  ${l.attempts}`,
    `failed    ${new Date(l.at).toISOString()} (${ago(l.at, now)})`,
    "",
    "error",
    ...wrap(l.error === "" ? "(none given)" : l.error),
    "",
  ];
  const log = more.log?.replace(/\n$/, "").split("\n");
  if (more.log === undefined) lines.push("log", "  reading…");
  else if (!log || more.log === "") lines.push("log", "  (empty)");
  else {
    const cut = log.length > LOG_TAIL;
    lines.push(cut ? `log (its last ${LOG_TAIL} lines)` : "log");
    lines.push(...wrap(log.slice(-LOG_TAIL).join("\n")));
  }
  lines.push(
    "",
    more.gone
      ? "gone from the list: requeued or purged meanwhile"
      : `${keys.requeue} requeues · ${keys.purge} purges · ${keys.open} opens the run's monitor`,
  );
  return lines;
}

/** The first row to show so that `cursor` is on screen, moving the view as little as may be. */
export function keepInView(top: number, cursor: number, visible: number, count: number): number {
  const most = Math.max(0, count - visible);
  const shown = cursor < top ? cursor : cursor >= top + visible ? cursor - visible + 1 : top;
  return clamp(shown, 0, most);
}
