/**
 * Canonical form and content hash (../shared/DESIGN.md section 2): the normalised workflow with
 * defaults filled, nodes sorted by id and edges by their ends, object keys sorted, as JSON.
 * Its SHA-256 is the identity of a version. Presentation never enters it.
 */
import { createHash } from "node:crypto";
import { HANDLER_ARGS } from "./handlers.js";
import type { Edge, Workflow, WorkflowNode } from "./model.js";

/** Fills handler argument defaults where the arguments are valid (invalid ones are left as written). */
export function normaliseWorkflow(workflow: Workflow): Workflow {
  return { ...workflow, nodes: workflow.nodes.map(normaliseNode) };
}

function normaliseNode(node: WorkflowNode): WorkflowNode {
  if (node.kind !== "task" && node.kind !== "compensation") return node;
  const parsed = HANDLER_ARGS[node.handler].safeParse(node.with);
  return parsed.success ? { ...node, with: parsed.data as Record<string, unknown> } : node;
}

export function canonicalJson(workflow: Workflow): string {
  return canonicalStringify(canonicalOrder(workflow));
}

/** The workflow with nodes sorted by id and edges by their ends (then by content). */
function canonicalOrder(workflow: Workflow): Workflow {
  const nodes = [...workflow.nodes].sort((a, b) => compare(a.id, b.id));
  const edges = [...workflow.edges].sort(
    (a, b) =>
      compare(a.from, b.from) ||
      compare(a.to, b.to) ||
      compare(stableStringify(a), stableStringify(b)),
  );
  return { ...workflow, nodes, edges };
}

/**
 * `canonicalJson`, with each node's and edge's canonical JSON from `itemJson` (which must return
 * `canonicalStringify(item)`, e.g. remembered per object): an editor whose edits keep the
 * unchanged nodes and edges as they were writes only the changed ones again. JSON of an object
 * with sorted keys is each member in order, undefined ones left out, and JSON of an array is
 * its items joined by commas, so the parts join into the same text.
 */
export function canonicalJsonWith(
  workflow: Workflow,
  itemJson: (item: WorkflowNode | Edge) => string,
): string {
  const ordered = canonicalOrder(workflow) as unknown as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(ordered).sort()) {
    const value = ordered[key];
    if (value === undefined) continue;
    const json =
      key === "nodes" || key === "edges"
        ? `[${(value as (WorkflowNode | Edge)[]).map(itemJson).join(",")}]`
        : canonicalStringify(value);
    members.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${members.join(",")}}`;
}

/**
 * `stableStringify`'s output, written faster: a copy with keys inserted in sorted order, then
 * the native JSON.stringify. JS enumerates integer-like keys ("2", "10") numerically whatever
 * the insertion order, so a value with such a key takes the hand-written path instead.
 */
export function canonicalStringify(value: unknown): string {
  const sorted = sortedCopy(value);
  return sorted === UNSORTABLE ? stableStringify(value) : (JSON.stringify(sorted) ?? "null");
}

const UNSORTABLE = Symbol("unsortable");
const INTEGER_KEY = /^(0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      out[i] = item;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (INTEGER_KEY.test(key) || key === "__proto__") return UNSORTABLE;
    const item = sortedCopy(record[key]);
    if (item === UNSORTABLE) return UNSORTABLE;
    out[key] = item;
  }
  return out;
}

export function contentHash(workflow: Workflow): string {
  return sha256(canonicalJson(workflow));
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with object keys sorted at every depth and `undefined` members left out. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return "null";
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + stableStringify(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${stableStringify(v)}`;
    first = false;
  }
  return `${out}}`;
}
