/**
 * The workflow list's state and its one reducer: `(state, action, env) → state and effects`.
 * Keys arrive as commands (or typed letters, which filter), prompts as what was typed, and the
 * store's answers as actions; the screen draws the state and runs the effects (the store's
 * calls, opening a workflow, leaving).
 */
import type { Command } from "../../config/index.js";
import { emit, only, type Step as ScreenStep, type StatusMessage, said } from "../screen-step.js";
import type { ImportOutcome } from "../workflow-files.js";
import type { WorkflowRow } from "./session.js";

export type ListMode =
  | { type: "browse" }
  | { type: "new" }
  | { type: "import" }
  | { type: "delete"; name: string };

export interface ListState {
  /** The store's workflows; undefined until they are read. */
  rows?: WorkflowRow[];
  filter: string;
  cursor: number;
  mode: ListMode;
  message?: StatusMessage;
}

export type ListAction =
  /** The list is on screen: read it. */
  | { type: "opened" }
  | { type: "command"; command: Command | undefined; typed?: string }
  | { type: "listed"; rows: WorkflowRow[] }
  | { type: "submitNew"; name: string }
  | { type: "submitImport"; path: string }
  | { type: "closePrompt" }
  | { type: "imported"; path: string; outcome: ImportOutcome }
  | { type: "deleted"; name: string }
  /** A store call failed; `rows` is set to empty when the list itself could not be read. */
  | { type: "failed"; message: string; listing?: boolean };

export type ListEffect =
  | { type: "open"; name: string }
  | { type: "create"; name: string }
  | { type: "run"; name: string }
  | { type: "runs" }
  | { type: "help" }
  | { type: "quit" }
  /** Read the list again. */
  | { type: "reload" }
  | { type: "remove"; name: string }
  | { type: "import"; path: string };

export interface ListEnv {
  /** How many rows a page shows. */
  pageSize: number;
}

export function initialListState(notice?: string): ListState {
  return {
    filter: "",
    cursor: 0,
    mode: { type: "browse" },
    ...(notice ? { message: { error: false, text: notice } } : {}),
  };
}

/** Whether a row is one the filter asks for: by name, description, message or a workflow called. */
export function matches(row: WorkflowRow, filter: string): boolean {
  if (filter === "") return true;
  const needle = filter.toLowerCase();
  return [row.name, row.description, row.message, ...row.calls].some((s) =>
    s.toLowerCase().includes(needle),
  );
}

export const shownRows = (state: ListState): WorkflowRow[] =>
  (state.rows ?? []).filter((r) => matches(r, state.filter));

export function selectedRow(state: ListState): WorkflowRow | undefined {
  const shown = shownRows(state);
  return shown[Math.min(state.cursor, shown.length - 1)];
}

type Step = ScreenStep<ListState, ListEffect>;

export function reduceList(state: ListState, action: ListAction, env: ListEnv): Step {
  switch (action.type) {
    case "opened":
      return emit(state, { type: "reload" });
    case "command":
      return onCommand(state, action.command, action.typed, env);
    case "listed":
      return only({ ...state, rows: action.rows });
    case "failed":
      return only({
        ...state,
        message: { error: true, text: action.message },
        ...(action.listing ? { rows: [] } : {}),
      });
    case "closePrompt":
      return only({ ...state, mode: { type: "browse" } });
    case "submitNew":
      return emit({ ...state, mode: { type: "browse" } }, { type: "create", name: action.name });
    case "submitImport":
      return emit({ ...state, mode: { type: "browse" } }, { type: "import", path: action.path });
    case "deleted":
      return emit(
        {
          ...state,
          message: { error: false, text: `deleted ${action.name} (its versions are kept)` },
        },
        { type: "reload" },
      );
    case "imported": {
      const { outcome, path } = action;
      if (outcome.ok)
        return emit(
          {
            ...state,
            message: {
              error: false,
              text: `imported ${outcome.saved.map((s) => `${s.name}@${s.version}${s.created ? "" : " (unchanged)"}`).join(", ")}`,
            },
          },
          { type: "reload" },
        );
      const first = outcome.findings.find((f) => f.severity === "error");
      const where = first?.line ? `line ${first.line}:${first.col} ` : "";
      const more =
        outcome.findings.length > 1
          ? ` (+${outcome.findings.length - 1} more; \`weft validate ${path}\` lists all)`
          : "";
      return said(
        state,
        `${path}: not imported: ${first ? `${where}${first.message}` : "no workflows in the file"}${more}`,
        true,
      );
    }
  }
}

function onCommand(
  state: ListState,
  command: Command | undefined,
  typed: string | undefined,
  env: ListEnv,
): Step {
  const mode = state.mode;
  if (mode.type === "new" || mode.type === "import") return only(state); // the prompt has the keys
  if (mode.type === "delete") {
    const browsing = { ...state, mode: { type: "browse" } as const };
    if (command === "yes") return emit(browsing, { type: "remove", name: mode.name });
    return said(browsing, "not deleted");
  }
  // Letters filter: on the list, `q` and `?` are text, not commands.
  if (typed !== undefined) return only({ ...state, filter: state.filter + typed, cursor: 0 });
  const last = Math.max(shownRows(state).length - 1, 0);
  const selected = selectedRow(state);
  switch (command) {
    case "moveDown":
      return only({ ...state, cursor: Math.min(state.cursor + 1, last) });
    case "moveUp":
      return only({ ...state, cursor: Math.max(state.cursor - 1, 0) });
    case "pageDown":
      return only({ ...state, cursor: Math.min(state.cursor + env.pageSize, last) });
    case "pageUp":
      return only({ ...state, cursor: Math.max(state.cursor - env.pageSize, 0) });
    case "deleteBack":
      return only({ ...state, filter: state.filter.slice(0, -1), cursor: 0 });
    case "clearLine":
      return only({ ...state, filter: "", cursor: 0 });
    case "inspect":
      return selected ? emit(state, { type: "open", name: selected.name }) : only(state);
    case "newWorkflow":
      return only({ ...state, mode: { type: "new" } });
    case "importFile":
      return only({ ...state, mode: { type: "import" } });
    case "deleteWorkflow":
      return selected
        ? only({ ...state, mode: { type: "delete", name: selected.name } })
        : only(state);
    case "run":
      return selected ? emit(state, { type: "run", name: selected.name }) : only(state);
    case "runs":
      return emit(state, { type: "runs" });
    case "help":
      return emit(state, { type: "help" });
    case "back":
      // Esc clears the filter first; from an unfiltered list it quits (nothing is unsaved here).
      if (state.filter !== "") return only({ ...state, filter: "", cursor: 0 });
      return emit(state, { type: "quit" });
    case "quit":
      return emit(state, { type: "quit" });
    default:
      return only(state);
  }
}
