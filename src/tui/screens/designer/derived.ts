/**
 * What the designer derives from its state on every frame, computed once per workflow value.
 * Workflows are immutable: moving the selection builds a new workspace but keeps every workflow
 * object, so anything that depends only on workflows (dirty flags, the content hash, the
 * validator's input) costs nothing on a move. At 500 nodes one canonical JSON takes milliseconds.
 */
import { useRef } from "react";
import type { EditorState } from "../../../app/editor/index.js";
import {
  canonicalJsonWith,
  canonicalStringify,
  type Edge,
  sha256,
  type Workflow,
  type WorkflowNode,
} from "../../../spec/index.js";

const canonicalByWorkflow = new WeakMap<Workflow, string>();
const hashByWorkflow = new WeakMap<Workflow, string>();

const canonicalByItem = new WeakMap<WorkflowNode | Edge, string>();

/**
 * A node's or edge's canonical JSON, remembered per object (an edit replaces the nodes and
 * edges it changes).
 */
function itemJson(item: WorkflowNode | Edge): string {
  let json = canonicalByItem.get(item);
  if (json === undefined) {
    json = canonicalStringify(item);
    canonicalByItem.set(item, json);
  }
  return json;
}

function canonicalOf(workflow: Workflow): string {
  let json = canonicalByWorkflow.get(workflow);
  if (json === undefined) {
    json = canonicalJsonWith(workflow, itemJson);
    canonicalByWorkflow.set(workflow, json);
  }
  return json;
}

/** `isDirty` of the editor, remembered per workflow object. */
export const editorDirty = (editor: EditorState): boolean =>
  canonicalOf(editor.workflow) !== editor.savedCanonical;

/** `contentHash` of the workflow (the SHA-256 of its canonical JSON), remembered per workflow. */
export function hashOf(workflow: Workflow): string {
  let hash = hashByWorkflow.get(workflow);
  if (hash === undefined) {
    hash = sha256(canonicalOf(workflow));
    hashByWorkflow.set(workflow, hash);
  }
  return hash;
}

/**
 * The same array as last time while its items are the same (by identity): a dependency that
 * changes only when an item does.
 */
export function useSameItems<T>(items: readonly T[]): readonly T[] {
  const last = useRef(items);
  const previous = last.current;
  if (items.length !== previous.length || items.some((item, i) => item !== previous[i]))
    last.current = items;
  return last.current;
}
