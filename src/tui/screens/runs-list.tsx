/**
 * Every run, newest first, a screenful at a time: filter by text (`/`), by status (`s` in turn)
 * and by workflow; read again each second so a run started elsewhere shows up at once. Paging
 * reads only the page on screen, so thousands of runs cost what one page costs. It draws the
 * state of its reducer (src/app/runs/runs-screen.ts) and runs its effects and its timer.
 */
import { Box, Text } from "ink";
import { useCallback } from "react";
import { runDuration } from "../../app/runs/run-list.js";
import type { RunSession } from "../../app/runs/run-session.js";
import {
  cursorIndex,
  initialRunsState,
  pageQuery,
  type RunsEffect,
  reduceRuns,
} from "../../app/runs/runs-screen.js";
import type { Command } from "../../config/index.js";
import { runToken } from "../../model/run-model.js";
import { cell } from "../components/cell.js";
import { Footer } from "../components/footer.js";
import { PROMPT_LINES, Prompt } from "../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";
import { useRefresh } from "../use-refresh.js";
import { useScreen } from "../use-screen.js";
import { ago } from "./workflow-list.js";

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
  const screen = useScreen(reduceRuns, () => initialRunsState(props.workflow));
  const { state, dispatch } = screen;
  const { filter, typing, starts, page, error } = state;
  // Room for the filter prompt is kept: the page read stays the same size while it is open.
  const size = Math.max(1, props.height - 3 - PROMPT_LINES);
  const run = (effect: RunsEffect) => {
    switch (effect.type) {
      case "open":
        return props.onOpen(effect.id);
      case "deadLetters":
        return props.onDeadLetters?.();
      case "back":
        return props.onBack();
      case "help":
        return props.onHelp();
      case "quit":
        return props.onQuit();
    }
  };
  screen.provide({ workflow: props.workflow }, run);

  const { filter: asked, from } = pageQuery(state);
  const read = useCallback(() => {
    props.runs.list(asked, size, from).then(
      (p) => dispatch({ type: "read", page: p }),
      (cause: Error) => dispatch({ type: "readFailed", message: cause.message }),
    );
  }, [props.runs, asked, size, from, dispatch]);
  // Read while on screen; a list under the monitor waits until it shows again.
  const active = props.active ?? true;
  useRefresh(read, active, REFRESH_MS);

  const rows = page?.rows ?? [];
  const at = cursorIndex(state);
  useKeyHandler((command) => dispatch({ type: "command", command }), { active, context: "runs" });

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
        {page?.next !== undefined ? ` (more: ${keyOf("pageDown", "runs")})` : ""}
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
          width={props.width}
          label="Filter runs"
          initial={filter.text ?? ""}
          hint={`id, workflow, status or who · ${keyOf("submit", "text")} filters · ${keyOf("back", "text")} cancels`}
          onSubmit={(text) => dispatch({ type: "submitFilter", text })}
          onCancel={() => dispatch({ type: "closePrompt" })}
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
