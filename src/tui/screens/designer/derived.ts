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

/** `compute(key)`, remembered in `cache` for as long as the key object lives. */
function remembered<K extends object, V>(cache: WeakMap<K, V>, key: K, compute: (key: K) => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    cache.set(key, value);
  }
  return value;
}

const canonicalByWorkflow = new WeakMap<Workflow, string>();
const hashByWorkflow = new WeakMap<Workflow, string>();
const canonicalByItem = new WeakMap<WorkflowNode | Edge, string>();

/**
 * A node's or edge's canonical JSON, remembered per object (an edit replaces the nodes and
 * edges it changes).
 */
const itemJson = (item: WorkflowNode | Edge): string =>
  remembered(canonicalByItem, item, canonicalStringify);

const canonicalOf = (workflow: Workflow): string =>
  remembered(canonicalByWorkflow, workflow, (w) => canonicalJsonWith(w, itemJson));

/** `isDirty` of the editor, remembered per workflow object. */
export const editorDirty = (editor: EditorState): boolean =>
  canonicalOf(editor.workflow) !== editor.savedCanonical;

/** `contentHash` of the workflow (the SHA-256 of its canonical JSON), remembered per workflow. */
export const hashOf = (workflow: Workflow): string =>
  remembered(hashByWorkflow, workflow, (w) => sha256(canonicalOf(w)));

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
