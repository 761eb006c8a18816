/**
 * How a run looks on screen, as plain values: the node badges and tokens the canvas draws, the
 * summary bar, and the lines of a node's details. No Ink here, so it is tested with strings.
 */
import { formatDuration } from "../../../app/runs/run-list.js";
import type { NodeDetails } from "../../../app/runs/run-session.js";
import { countStates, type LiveRun, type NodeState } from "../../../app/runs/run-state.js";
import type { NodeStatus } from "../../../model/run-model.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ASCII_SPINNER = ["|", "/", "-", "\\"];

/**
 * Shape and words for each state, so the canvas reads without colour. Pending nodes show no
 * badge and running ones a spinner with their time.
 */
export const MARKS: Record<
  Exclude<NodeStatus, "pending" | "running">,
  { unicode: string; ascii: string; long: string; short: string }
> = {
  queued: { unicode: "…", ascii: ".", long: "queued", short: "q" },
  retrying: { unicode: "↻", ascii: "~", long: "retrying", short: "retry" },
  waiting: { unicode: "◷", ascii: "w", long: "waiting", short: "wait" },
  succeeded: { unicode: "✓", ascii: "+", long: "ok", short: "ok" },
  failed: { unicode: "✗", ascii: "X", long: "FAILED", short: "fail" },
  skipped: { unicode: "–", ascii: "-", long: "skipped", short: "skip" },
  cancelled: { unicode: "⊘", ascii: "/", long: "cancelled", short: "cncl" },
  compensating: { unicode: "↶", ascii: "<", long: "undoing", short: "undo" },
  compensated: { unicode: "⤺", ascii: "<<", long: "undone", short: "undone" },
};

export function spinnerFrame(now: number, glyphs: "unicode" | "ascii"): string {
  const frames = glyphs === "ascii" ? ASCII_SPINNER : SPINNER;
  return frames[Math.floor(now / 250) % frames.length]!;
}

/**
 * `✓ ok`, `⠹ 3.2s`, `✗ FAILED #3`, drawn on the node's top border: the longest form that fits
 * in `room` columns, down to the shape alone.
 */
export function nodeBadge(
  n: NodeState | undefined,
  now: number,
  glyphs: "unicode" | "ascii",
  room = Number.POSITIVE_INFINITY,
): string | undefined {
  if (!n || n.status === "pending") return undefined;
  const tries = n.attempt > 1 ? ` #${n.attempt}` : "";
  let forms: string[];
  if (n.status === "running") {
    const spin = spinnerFrame(now, glyphs);
    const took = n.start ? formatDuration(now - n.start) : "running";
    forms = n.progress
      ? [`${spin} ${n.progress} ${took}`, `${spin} ${n.progress}`, spin]
      : [`${spin} ${took}${tries}`, `${spin} ${took}`, `${spin}${tries}`, spin];
  } else {
    const mark = MARKS[n.status as keyof typeof MARKS];
    if (!mark) return n.status;
    const g = mark[glyphs];
    const word =
      n.status === "succeeded" && n.cached
        ? "cached"
        : n.status === "queued" && n.waitingFor === "limit"
          ? "waiting (limit)"
          : undefined;
    forms = [
      `${g} ${word ?? mark.long}${tries}`,
      `${g} ${word ?? mark.short}${tries}`,
      `${g}${tries}`,
      g,
    ];
  }
  return forms.find((f) => [...f].length <= room) ?? forms.at(-1);
}

export const nodeToken = (n: NodeState | undefined): string => `status.${n?.status ?? "pending"}`;

/** The order states are counted in the summary bar: every node state once. */
export const SUMMARY_ORDER: readonly NodeStatus[] = [
  "succeeded",
  "failed",
  "running",
  "retrying",
  "waiting",
  "queued",
  "pending",
  "skipped",
  "cancelled",
  "compensating",
  "compensated",
];

/** `running 12.3s · 5 succeeded · 1 failed · 2 running · 3 queued` */
export function summaryText(live: LiveRun, now: number): string {
  const counts = countStates(live);
  const took = live.started ? formatDuration((live.finished ?? now) - live.started) : "not started";
  const parts = SUMMARY_ORDER.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  return [`${live.status.toUpperCase()} ${took}`, ...parts].join(" · ");
}

const clock = (ms: number) => {
  const d = new Date(ms);
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, "0")}`;
};

/** The details of one node as lines: state, attempts with errors, log, output, history. */
export function detailLines(
  d: NodeDetails,
  node: { id: string; kind: string; name?: string } | undefined,
  state: NodeState | undefined,
  now: number,
  follow: boolean,
): string[] {
  const lines: string[] = [];
  const title = node?.name && node.name !== d.node ? `${d.node} (${node.name})` : d.node;
  lines.push(
    `${title} · ${node?.kind ?? "node"} · ${state?.status ?? "pending"}${state && state.attempt > 0 ? ` · attempt ${state.attempt}` : ""}`,
  );
  if (state?.start)
    lines.push(
      `took ${formatDuration((state.end ?? now) - state.start)}${state.end ? "" : " so far"}`,
    );
  lines.push("", "Attempts");
  if (d.attempts.length === 0) lines.push("  none yet");
  for (const a of d.attempts) {
    const took = a.start ? formatDuration((a.end ?? now) - a.start) : "-";
    lines.push(
      `  #${a.attempt} ${a.start ? clock(a.start) : ""} ${took} ${a.status}${a.worker ? ` on ${a.worker}` : ""}`,
    );
    if (a.error) for (const l of a.error.split("\n")) lines.push(`     ${l}`);
  }
  lines.push("", `Log${follow ? " (following)" : ""}`);
  if (d.log === "") lines.push("  (empty)");
  else for (const l of d.log.replace(/\n$/, "").split("\n")) lines.push(`  ${l}`);
  lines.push("", `Output${d.note ? ` (${d.note})` : ""}`);
  if (!d.hasOutput) lines.push("  (none)");
  else for (const l of JSON.stringify(d.output, null, 2).split("\n")) lines.push(`  ${l}`);
  lines.push("", "History");
  for (const e of d.history) {
    const extra = [e.attempt && `attempt ${e.attempt}`, e.error && `error: ${e.error}`]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${clock(Number(e.t))} ${e.status}${extra ? ` (${extra})` : ""}`);
  }
  return lines;
}
