/**
 * Plain aligned tables for listings; `--format json` prints the rows instead. Cells are
 * someone else's text (names, messages, who): control characters are shown escaped, so a
 * newline or a terminal escape in a field cannot forge a row or repaint the screen.
 */
import { escapeControl } from "../spec/index.js";

export function renderTable(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map(escapeControl));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** `2026-11-23 12:08` in local time: what people compare against their clock. */
export function formatTime(ms: number): string {
  if (!ms) return "-";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const shortHash = (hash: string) => hash.slice(0, 12);

/** `13:17` for today, `11-22 13:17` for another day: short enough for an 80-column table. */
export function formatWhen(ms: number, now = Date.now()): string {
  if (!ms) return "-";
  const full = formatTime(ms);
  return full.slice(0, 10) === formatTime(now).slice(0, 10) ? full.slice(11) : full.slice(5);
}
