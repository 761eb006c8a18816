/**
 * The workflows open in one designer: the one opened, the workflows of its file (or the ones it
 * calls), the breadcrumb of sub-workflows entered, and which one is on screen. Pure values.
 */
import type { Workflow } from "../../spec/index.js";
import {
  createEditor,
  type EditorCommand,
  type EditorState,
  isDirty,
  reduce,
} from "../editor/index.js";

export interface Workspace {
  /** Where the workflows came from: a file path, or `store`. */
  source: string;
  docs: EditorState[];
  current: number;
  /** Indexes of the docs entered before the current one, through sub-workflow nodes. */
  trail: number[];
}

export interface OpenDoc {
  workflow: Workflow;
  version: number;
  readOnly?: boolean;
}

export function createWorkspace(source: string, docs: readonly OpenDoc[]): Workspace {
  return {
    source,
    docs: docs.map((d) => createEditor(d.workflow, { version: d.version, readOnly: d.readOnly })),
    current: 0,
    trail: [],
  };
}

export const currentEditor = (ws: Workspace): EditorState => ws.docs[ws.current]!;

export function applyCommand(ws: Workspace, command: EditorCommand): Workspace {
  const docs = ws.docs.map((d, i) => (i === ws.current ? reduce(d, command) : d));
  return { ...ws, docs };
}

export function replaceCurrent(ws: Workspace, editor: EditorState): Workspace {
  return { ...ws, docs: ws.docs.map((d, i) => (i === ws.current ? editor : d)) };
}

/** The next (+1) or previous (-1) workflow of the file; the trail starts over. */
export function cycle(ws: Workspace, step: 1 | -1): Workspace {
  const n = ws.docs.length;
  return { ...ws, current: (ws.current + step + n) % n, trail: [] };
}

export const indexOf = (ws: Workspace, name: string): number =>
  ws.docs.findIndex((d) => d.workflow.name === name);

/** Enters `child` from the current workflow (adding it when it was not open yet). */
export function enter(ws: Workspace, child: OpenDoc): Workspace {
  let index = indexOf(ws, child.workflow.name);
  let docs = ws.docs;
  if (index < 0) {
    docs = [
      ...docs,
      createEditor(child.workflow, { version: child.version, readOnly: child.readOnly }),
    ];
    index = docs.length - 1;
  }
  return { ...ws, docs, current: index, trail: [...ws.trail, ws.current] };
}

/** Back to the workflow the current one was entered from; undefined at the top. */
export function leave(ws: Workspace): Workspace | undefined {
  const previous = ws.trail.at(-1);
  if (previous === undefined) return undefined;
  return { ...ws, current: previous, trail: ws.trail.slice(0, -1) };
}

export function breadcrumb(ws: Workspace): string {
  const names = [...ws.trail, ws.current].map((i) => ws.docs[i]!.workflow.name);
  return [ws.source, ...names].join(" › ");
}

export const dirtyEditors = (ws: Workspace): EditorState[] =>
  ws.docs.filter((d) => !d.readOnly && isDirty(d));
