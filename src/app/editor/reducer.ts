/**
 * The designer's editor state as a pure reducer: `(state, command) -> state`. The TUI turns
 * keys into commands and draws the state; tests call `reduce` directly. Every edit can be
 * undone and redone without limit; a refused edit changes nothing and says why.
 */
import { canonicalJson, type NodeKind, type Workflow } from "../../spec/index.js";
import type { EditResult, Selection } from "./edits.js";
import * as edits from "./edits.js";
import { type FieldPath, setEdgeField, setNodeField, setWorkflowField } from "./fields.js";

export interface EditorState {
  workflow: Workflow;
  selection: Selection;
  /** Earlier workflows, oldest first; `undo` steps back through them. */
  past: Workflow[];
  future: Workflow[];
  /** Canonical JSON of the last saved (or opened) version: unsaved changes differ from it. */
  savedCanonical: string;
  /** The version the edit started from (0 for a new workflow): the parent of the next save. */
  baseVersion: number;
  readOnly: boolean;
  /** What the last command did, or why it was refused. */
  notice?: { level: "info" | "error"; message: string };
}

export type EditorCommand =
  | { type: "addNode"; kind: NodeKind; after?: string }
  | { type: "deleteNode"; id: string }
  | { type: "connect"; from: string; to: string }
  | { type: "deleteEdge"; id: string }
  | { type: "insertOnEdge"; id: string; kind: NodeKind }
  | { type: "renameNode"; id: string; to: string }
  | { type: "duplicateNode"; id: string }
  | { type: "setNodeField"; id: string; path: FieldPath; value: unknown }
  | { type: "setEdgeField"; id: string; path: FieldPath; value: unknown }
  | { type: "setWorkflowField"; path: FieldPath; value: unknown }
  | { type: "select"; selection: Selection }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "saved"; version: number; workflow?: Workflow };

export function createEditor(
  workflow: Workflow,
  options: { version?: number; readOnly?: boolean } = {},
): EditorState {
  return {
    workflow,
    selection: workflow.nodes[0] ? { type: "node", id: workflow.nodes[0].id } : null,
    past: [],
    future: [],
    savedCanonical: canonicalJson(workflow),
    baseVersion: options.version ?? 0,
    readOnly: options.readOnly ?? false,
  };
}

export const isDirty = (s: EditorState): boolean => canonicalJson(s.workflow) !== s.savedCanonical;
export const canUndo = (s: EditorState): boolean => s.past.length > 0;
export const canRedo = (s: EditorState): boolean => s.future.length > 0;

function edit(state: EditorState, command: EditorCommand): EditResult {
  const wf = state.workflow;
  switch (command.type) {
    case "addNode":
      return edits.addNode(wf, command.kind, command.after);
    case "deleteNode":
      return edits.deleteNode(wf, command.id);
    case "connect":
      return edits.connect(wf, command.from, command.to);
    case "deleteEdge":
      return edits.deleteEdge(wf, command.id);
    case "insertOnEdge":
      return edits.insertOnEdge(wf, command.id, command.kind);
    case "renameNode":
      return edits.renameNode(wf, command.id, command.to);
    case "duplicateNode":
      return edits.duplicateNode(wf, command.id);
    case "setNodeField":
      return setNodeField(wf, command.id, command.path, command.value);
    case "setEdgeField":
      return setEdgeField(wf, command.id, command.path, command.value);
    case "setWorkflowField":
      return setWorkflowField(wf, command.path, command.value);
    default:
      return { ok: false, reason: `not an edit: ${command.type}` };
  }
}

/** A selection that still points at something in `wf`, or nothing. */
function keep(selection: Selection, wf: Workflow): Selection {
  if (selection?.type === "node")
    return wf.nodes.some((n) => n.id === selection.id) ? selection : null;
  if (selection?.type === "edge")
    return wf.edges.some((e) => `${e.from}->${e.to}` === selection.id) ? selection : null;
  return null;
}

export function reduce(state: EditorState, command: EditorCommand): EditorState {
  const { notice: _previous, ...s } = state;
  switch (command.type) {
    case "select":
      return { ...s, selection: keep(command.selection, s.workflow) };
    case "undo": {
      const previous = s.past.at(-1);
      if (!previous) return { ...s, notice: { level: "info", message: "nothing to undo" } };
      return {
        ...s,
        workflow: previous,
        past: s.past.slice(0, -1),
        future: [s.workflow, ...s.future],
        selection: keep(s.selection, previous),
      };
    }
    case "redo": {
      const next = s.future[0];
      if (!next) return { ...s, notice: { level: "info", message: "nothing to redo" } };
      return {
        ...s,
        workflow: next,
        past: [...s.past, s.workflow],
        future: s.future.slice(1),
        selection: keep(s.selection, next),
      };
    }
    case "saved": {
      const workflow = command.workflow ?? s.workflow;
      return {
        ...s,
        workflow,
        baseVersion: command.version,
        savedCanonical: canonicalJson(workflow),
        notice: { level: "info", message: `saved as version ${command.version}` },
      };
    }
    default: {
      if (s.readOnly)
        return {
          ...s,
          notice: {
            level: "error",
            message: "this is a past version, open read-only: open the current version to edit",
          },
        };
      const result = edit(s, command);
      if (!result.ok) return { ...s, notice: { level: "error", message: result.reason } };
      return {
        ...s,
        workflow: result.workflow,
        selection: result.select ?? keep(s.selection, result.workflow),
        past: [...s.past, s.workflow],
        future: [],
      };
    }
  }
}
