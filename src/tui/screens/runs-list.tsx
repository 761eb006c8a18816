/**
 * Every run, newest first, a screenful at a time: filter by text (`/`), by status (`s` in turn)
 * and by workflow; read again each second so a run started elsewhere shows up at once. Paging
 * reads only the page on screen, so thousands of runs cost what one page costs.
 */
import { Box, Text } from "ink";
import { useCallback, useState } from "react";
import { type RunFilter, type RunRow, runDuration } from "../../app/runs/run-list.js";
import type { RunSession } from "../../app/runs/run-session.js";
import type { Command } from "../../config/index.js";
import { type RunStatus, runToken } from "../../model/run-model.js";
import { cell } from "../components/cell.js";
import { Footer } from "../components/footer.js";
import { Prompt } from "../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";
import { useRefresh } from "../use-refresh.js";
import { ago } from "./workflow-list.js";

/** The status filter's turns: every run state (the most asked-for first), then none again. */
const STATUSES: readonly (RunStatus | undefined)[] = [
  undefined,
  "running",
  "queued",
  "failed",
  "succeeded",
  "cancelled",
];
const REFRESH_MS = 1000;
const RUNS_FOOTER: Command[] = [
  "inspect",
  "find",
  "filterStatus",
  "deadLetters",
  "pageDown",
  "pageUp",
  "back",
  "help",
  "quit",
];

export interface RunsListProps {
  runs: RunSession;
  width: number;
  height: number;
  workflow?: string;
  active?: boolean;
  onOpen(id: string): void;
  /** Opens the dead letters (`D`). */
  onDeadLetters?(): void;
  onBack(): void;
  onHelp(): void;
  onQuit(): void;
}

/** Run states longer than the column, in words that keep them apart. */
const SHORT_STATUS: Record<string, string> = {
  compensating: "undoing",
  compensated: "undone",
  compensation_failed: "undo-fail",
  partially_succeeded: "partial",
};

export function RunsList(props: RunsListProps) {
  const look = useLook();
  const keyOf = useKeyOf();
  const [filter, setFilter] = useState<RunFilter>({ workflow: props.workflow });
  const [typing, setTyping] = useState(false);
  // Index positions where the pages seen so far start; the last one is on screen.
  const [starts, setStarts] = useState<number[]>([0]);
  const [page, setPage] = useState<{ rows: RunRow[]; next?: number }>();
  const [cursor, setCursor] = useState(0);
  const [error, setError] = useState<string>();
  const size = Math.max(1, props.height - 5);
  const from = starts.at(-1) ?? 0;

  const read = useCallback(() => {
    props.runs.list(filter, size, from).then(
      (p) => {
        setPage(p);
        setError(undefined);
      },
      (cause: Error) => setError(cause.message),
    );
  }, [props.runs, filter, size, from]);
  // Read while on screen; a list under the monitor waits until it shows again.
  const active = props.active ?? true;
  useRefresh(read, active, REFRESH_MS);

  const rows = page?.rows ?? [];
  const at = Math.min(cursor, Math.max(0, rows.length - 1));

  const onKey = (command: Command | undefined) => {
    if (typing) return;
    switch (command) {
      case "moveDown":
        return setCursor((c) => Math.min(c + 1, Math.max(0, rows.length - 1)));
      case "moveUp":
        return setCursor((c) => Math.max(0, c - 1));
      case "pageDown":
        if (page?.next === undefined) return;
        setStarts((s) => [...s, page.next!]);
        return setCursor(0);
      case "pageUp":
        if (starts.length <= 1) return setCursor(0);
        setStarts((s) => s.slice(0, -1));
        return setCursor(0);
      case "inspect": {
        const row = rows[at];
        return row ? props.onOpen(row.id) : undefined;
      }
      case "find":
        return setTyping(true);
      case "filterStatus": {
        const i = STATUSES.indexOf(filter.status as (typeof STATUSES)[number]);
        const status = STATUSES[(i + 1) % STATUSES.length];
        setStarts([0]);
        setCursor(0);
        return setFilter((f) => ({ ...f, status }));
      }
      case "back":
        if (filter.text || filter.status || (filter.workflow && !props.workflow)) {
          setStarts([0]);
          return setFilter({ workflow: props.workflow });
        }
        return props.onBack();
      case "deadLetters":
        return props.onDeadLetters?.();
      case "help":
        return props.onHelp();
      case "quit":
        return props.onQuit();
      default:
        return;
    }
  };
  useKeyHandler(onKey, { active, context: "runs" });

  const now = Date.now();
  const described = [
    filter.workflow && `workflow ${filter.workflow}`,
    filter.status && `status ${filter.status}`,
    filter.text && `“${filter.text}”`,
  ]
    .filter(Boolean)
    .join(", ");
  // Ids are 26 characters: at 80 columns the duration gives way so they show whole.
  const idWidth = 26;
  const took = props.width >= 100;
  const wfWidth = took ? 18 : 16;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")} wrap="truncate">
        Runs{described ? ` · ${described}` : ""} · page {starts.length}
        {page?.next !== undefined ? " (more: PgDn)" : ""}
      </Text>
      <Text color={look.colour("text.secondary")} wrap="truncate">
        {`${cell("RUN", idWidth)} ${cell("WORKFLOW", wfWidth)} ${cell("STATUS", 10)} ${cell("STARTED", 8)} ${took ? `${cell("TOOK", 8)} ` : ""}${cell("DONE", 7)} BY`}
      </Text>
      <Box flexDirection="column" height={size}>
        {page === undefined ? <Text>reading runs…</Text> : null}
        {page && rows.length === 0 ? (
          <Text color={look.colour("text.secondary")}>
            {described
              ? `No run matches. ${keyOf("back", "runs")} clears the filter.`
              : `No runs yet: open a workflow and press ${keyOf("run", "canvas")}, or \`weft run NAME\`.`}
          </Text>
        ) : null}
        {rows.map((r, i) => (
          <Text key={r.id} inverse={i === at} wrap="truncate">
            {cell(r.id, idWidth)} {cell(`${r.workflow}@${r.version}`, wfWidth)}{" "}
            <Text color={look.colour(runToken(r.status))}>
              {cell(r.waiting ? "waiting" : (SHORT_STATUS[r.status] ?? r.status), 10)}
            </Text>{" "}
            {cell(ago(r.created, now), 8)} {took ? `${cell(runDuration(r, now), 8)} ` : ""}
            {cell(`${r.done}/${r.total}`, 7)} {r.who}
          </Text>
        ))}
      </Box>
      {typing ? (
        <Prompt
          label="Filter runs"
          initial={filter.text ?? ""}
          hint={`id, workflow, status or who · ${keyOf("submit", "text")} filters · ${keyOf("back", "text")} cancels`}
          onSubmit={(text) => {
            setTyping(false);
            setStarts([0]);
            setCursor(0);
            setFilter((f) => ({ ...f, text: text.trim() || undefined }));
          }}
          onCancel={() => setTyping(false)}
        />
      ) : (
        <Text color={look.colour(error ? "finding.error" : "text.secondary")} wrap="truncate">
          {error ?? " "}
        </Text>
      )}
      <Footer commands={RUNS_FOOTER} width={props.width} context={typing ? "text" : "runs"} />
    </Box>
  );
}
