/**
 * The runs list's state and its one reducer: `(state, action, env) → state and effects`. Keys
 * arrive as commands, the filter prompt as what was typed, and each page read as an action; the
 * screen reads the page on screen every second (what it reads is `pageQuery(state)`), draws the
 * state and runs the effects.
 */
import type { Command } from "../../config/index.js";
import type { RunStatus } from "../../model/run-model.js";
import { emit, only, type Step as ScreenStep } from "../screen-step.js";
import type { RunFilter, RunRow } from "./run-list.js";

export interface RunsState {
  filter: RunFilter;
  /** The filter prompt is open. */
  typing: boolean;
  /** Index positions where the pages seen so far start; the last one is on screen. */
  starts: number[];
  page?: { rows: RunRow[]; next?: number };
  cursor: number;
  error?: string;
}

export type RunsAction =
  | { type: "command"; command: Command | undefined }
  | { type: "read"; page: { rows: RunRow[]; next?: number } }
  | { type: "readFailed"; message: string }
  | { type: "submitFilter"; text: string }
  | { type: "closePrompt" };

export type RunsEffect =
  | { type: "open"; id: string }
  | { type: "deadLetters" }
  | { type: "back" }
  | { type: "help" }
  | { type: "quit" };

export interface RunsEnv {
  /** The list opened on one workflow's runs: clearing the filters keeps that one. */
  workflow?: string;
}

/** The status filter's turns: every run state (the most asked-for first), then none again. */
export const STATUSES: readonly (RunStatus | undefined)[] = [
  undefined,
  "running",
  "queued",
  "failed",
  "succeeded",
  "cancelled",
];

export function initialRunsState(workflow?: string): RunsState {
  return { filter: { workflow }, typing: false, starts: [0], cursor: 0 };
}

/** What the screen reads: the filter and where the page on screen starts. */
export const pageQuery = (state: RunsState) => ({
  filter: state.filter,
  from: state.starts.at(-1) ?? 0,
});

/** The row under the cursor's index, kept within the page. */
export const cursorIndex = (state: RunsState) =>
  Math.min(state.cursor, Math.max(0, (state.page?.rows.length ?? 0) - 1));

type Step = ScreenStep<RunsState, RunsEffect>;
/** A new filter starts again from the first page. */
const refiltered = (state: RunsState, filter: RunFilter): RunsState => ({
  ...state,
  filter,
  starts: [0],
  cursor: 0,
});

export function reduceRuns(state: RunsState, action: RunsAction, env: RunsEnv): Step {
  switch (action.type) {
    case "read":
      return only({ ...state, page: action.page, error: undefined });
    case "readFailed":
      return only({ ...state, error: action.message });
    case "submitFilter":
      return only({
        ...refiltered(state, { ...state.filter, text: action.text.trim() || undefined }),
        typing: false,
      });
    case "closePrompt":
      return only({ ...state, typing: false });
    case "command":
      return state.typing ? only(state) : onCommand(state, action.command, env);
  }
}

function onCommand(state: RunsState, command: Command | undefined, env: RunsEnv): Step {
  const rows = state.page?.rows ?? [];
  switch (command) {
    case "moveDown":
      return only({ ...state, cursor: Math.min(state.cursor + 1, Math.max(0, rows.length - 1)) });
    case "moveUp":
      return only({ ...state, cursor: Math.max(0, state.cursor - 1) });
    case "pageDown": {
      const next = state.page?.next;
      if (next === undefined) return only(state);
      return only({ ...state, starts: [...state.starts, next], cursor: 0 });
    }
    case "pageUp":
      if (state.starts.length <= 1) return only({ ...state, cursor: 0 });
      return only({ ...state, starts: state.starts.slice(0, -1), cursor: 0 });
    case "inspect": {
      const row = rows[cursorIndex(state)];
      return row ? emit(state, { type: "open", id: row.id }) : only(state);
    }
    case "find":
      return only({ ...state, typing: true });
    case "filterStatus": {
      const i = STATUSES.indexOf(state.filter.status as (typeof STATUSES)[number]);
      const status = STATUSES[(i + 1) % STATUSES.length];
      return only(refiltered(state, { ...state.filter, status }));
    }
    case "back": {
      // Esc clears the filters first (one press), then leaves.
      const { text, status, workflow } = state.filter;
      if (text || status || (workflow && !env.workflow))
        return only(refiltered(state, { workflow: env.workflow }));
      return emit(state, { type: "back" });
    }
    case "deadLetters":
      return emit(state, { type: "deadLetters" });
    case "help":
      return emit(state, { type: "help" });
    case "quit":
      return emit(state, { type: "quit" });
    default:
      return only(state);
  }
}
