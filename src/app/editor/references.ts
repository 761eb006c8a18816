/**
 * Renaming a node rewrites what refers to it: edges, a task's `compensation`, a compensation's
 * `compensates`, and `nodes.<id>` in conditions and `${...}` templates.
 */
import { type Edge, mapStrings, type Workflow, type WorkflowNode } from "../../spec/index.js";

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `nodes.old` / `nodes["old"]` / `nodes['old']` -> the new id, in the form the new id allows. */
export function renameInExpression(text: string, from: string, to: string): string {
  const dotted = identifier.test(to) ? `nodes.${to}` : `nodes["${to}"]`;
  const pattern = new RegExp(
    `\\bnodes\\s*(?:\\.\\s*${escapeRegExp(from)}(?![A-Za-z0-9_])|\\[\\s*(["'])${escapeRegExp(from)}\\1\\s*\\])`,
    "g",
  );
  return text.replace(pattern, dotted);
}

function renameInValue(value: unknown, from: string, to: string): unknown {
  return mapStrings(value, (text) =>
    text.includes("nodes") ? renameInExpression(text, from, to) : text,
  );
}

export function renameEverywhere(workflow: Workflow, from: string, to: string): Workflow {
  const nodes = workflow.nodes.map((node): WorkflowNode => {
    const renamed = { ...node, id: node.id === from ? to : node.id } as WorkflowNode;
    if (renamed.kind === "task" && renamed.compensation === from) renamed.compensation = to;
    if (renamed.kind === "compensation" && renamed.compensates === from) renamed.compensates = to;
    if (renamed.kind === "decision")
      renamed.condition = renameInExpression(renamed.condition, from, to);
    if (renamed.kind === "task" && renamed.map)
      renamed.map = { ...renamed.map, over: renameInExpression(renamed.map.over, from, to) };
    if (renamed.kind === "task" || renamed.kind === "compensation")
      renamed.with = renameInValue(renamed.with, from, to) as Record<string, unknown>;
    if (renamed.kind === "subworkflow")
      renamed.params = renameInValue(renamed.params, from, to) as Record<string, unknown>;
    return renamed;
  });
  const edges = workflow.edges.map(
    (e): Edge => ({
      ...e,
      from: e.from === from ? to : e.from,
      to: e.to === from ? to : e.to,
      ...(typeof e.condition === "string"
        ? { condition: renameInExpression(e.condition, from, to) }
        : {}),
    }),
  );
  return { ...workflow, nodes, edges };
}
