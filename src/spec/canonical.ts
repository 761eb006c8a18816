/**
 * Canonical form and content hash (../shared/DESIGN.md section 2): the normalised workflow with
 * defaults filled, nodes sorted by id and edges by their ends, object keys sorted, as JSON.
 * Its SHA-256 is the identity of a version. Presentation never enters it.
 */
import { createHash } from "node:crypto";
import { HANDLER_ARGS } from "./handlers.js";
import type { Workflow, WorkflowNode } from "./model.js";

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
  const nodes = [...workflow.nodes].sort((a, b) => compare(a.id, b.id));
  const edges = [...workflow.edges].sort(
    (a, b) =>
      compare(a.from, b.from) ||
      compare(a.to, b.to) ||
      compare(stableStringify(a), stableStringify(b)),
  );
  return stableStringify({ ...workflow, nodes, edges });
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
