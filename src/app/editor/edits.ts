/**
 * Edits of a workflow's graph as pure functions: each returns the new workflow and what to
 * select, or a refusal with the reason a person can act on. Nothing here knows about keys.
 */
import { buildGraph, pathBetween } from "../../graph/index.js";
import {
  type Edge,
  edgeId,
  NODE_ID,
  type NodeKind,
  type Workflow,
  type WorkflowNode,
} from "../../spec/index.js";
import { freshId, newNode } from "./new-node.js";
import { renameEverywhere } from "./references.js";

export type Selection = { type: "node"; id: string } | { type: "edge"; id: string } | null;
export type EditResult =
  | { ok: true; workflow: Workflow; select: Selection }
  | { ok: false; reason: string };

const refuse = (reason: string): EditResult => ({ ok: false, reason });
const nodeIds = (wf: Workflow) => new Set(wf.nodes.map((n) => n.id));
const findNode = (wf: Workflow, id: string) => wf.nodes.find((n) => n.id === id);

/** The label an edge from `from` needs: a decision's first missing branch, otherwise none. */
function branchFor(wf: Workflow, from: WorkflowNode): Pick<Edge, "condition"> | "full" {
  if (from.kind !== "decision") return {};
  const taken = new Set(wf.edges.filter((e) => e.from === from.id).map((e) => e.condition));
  if (!taken.has(true)) return { condition: true };
  if (!taken.has(false)) return { condition: false };
  return "full";
}

function edgeFrom(wf: Workflow, from: WorkflowNode, to: string): Edge | string {
  const label = branchFor(wf, from);
  if (label === "full")
    return `decision \`${from.id}\` already has its true and false branches; delete one first`;
  if (from.kind === "exclusive")
    return { from: from.id, to, default: !wf.edges.some((e) => e.from === from.id && e.default) };
  return { from: from.id, to, default: false, ...label };
}

/** A new node; after `after` (connected to it) when `after` is on the flow. */
export function addNode(wf: Workflow, kind: NodeKind, after?: string): EditResult {
  const node = newNode(kind, nodeIds(wf));
  const source = after === undefined ? undefined : findNode(wf, after);
  const edges = [...wf.edges];
  if (source && source.kind !== "compensation" && kind !== "compensation") {
    const edge = edgeFrom(wf, source, node.id);
    if (typeof edge !== "string") edges.push(edge);
  }
  return {
    ok: true,
    workflow: { ...wf, nodes: [...wf.nodes, node], edges },
    select: { type: "node", id: node.id },
  };
}

export function deleteNode(wf: Workflow, id: string): EditResult {
  if (!findNode(wf, id)) return refuse(`there is no node \`${id}\``);
  return {
    ok: true,
    workflow: {
      ...wf,
      nodes: wf.nodes.filter((n) => n.id !== id),
      edges: wf.edges.filter((e) => e.from !== id && e.to !== id),
    },
    select: null,
  };
}

export function connect(wf: Workflow, from: string, to: string): EditResult {
  const source = findNode(wf, from);
  const target = findNode(wf, to);
  if (!source || !target) return refuse(`there is no node \`${source ? to : from}\``);
  if (from === to)
    return refuse(`a node cannot follow itself: \`${from}\` -> \`${to}\` would be a cycle`);
  if (source.kind === "compensation" || target.kind === "compensation") {
    return refuse("compensation nodes take no edges: set a task's `compensation` to it instead");
  }
  if (wf.edges.some((e) => e.from === from && e.to === to))
    return refuse(`\`${from}\` -> \`${to}\` is already an edge`);
  const back = pathBetween(buildGraph(nodeIds(wf), wf.edges), to, from);
  if (back)
    return refuse(`\`${from}\` -> \`${to}\` would close the cycle ${[from, ...back].join(" -> ")}`);
  const edge = edgeFrom(wf, source, to);
  if (typeof edge === "string") return refuse(edge);
  return {
    ok: true,
    workflow: { ...wf, edges: [...wf.edges, edge] },
    select: { type: "edge", id: edgeId(edge) },
  };
}

export function deleteEdge(wf: Workflow, id: string): EditResult {
  if (!wf.edges.some((e) => edgeId(e) === id)) return refuse(`there is no edge ${id}`);
  return {
    ok: true,
    workflow: { ...wf, edges: wf.edges.filter((e) => edgeId(e) !== id) },
    select: null,
  };
}

/** `a -> b` becomes `a -> new -> b`; the edge's label stays on the part leaving `a`. */
export function insertOnEdge(wf: Workflow, id: string, kind: NodeKind): EditResult {
  const edge = wf.edges.find((e) => edgeId(e) === id);
  if (!edge) return refuse(`there is no edge ${id}`);
  if (kind === "compensation") return refuse("a compensation node cannot sit on an edge");
  const node = newNode(kind, nodeIds(wf));
  const into: Edge = { ...edge, to: node.id };
  const out = edgeFrom(wf, node, edge.to);
  if (typeof out === "string") return refuse(out);
  const edges = wf.edges.flatMap((e) => (e === edge ? [into, out] : [e]));
  return {
    ok: true,
    workflow: { ...wf, nodes: [...wf.nodes, node], edges },
    select: { type: "node", id: node.id },
  };
}

export function renameNode(wf: Workflow, from: string, to: string): EditResult {
  if (!findNode(wf, from)) return refuse(`there is no node \`${from}\``);
  if (from === to) return refuse("that is its id already");
  if (!NODE_ID.test(to))
    return refuse(
      `\`${to}\` is not a valid id: use lower-case letters, digits, \`_\` and \`-\`, starting with a letter or digit`,
    );
  if (findNode(wf, to)) return refuse(`\`${to}\` is the id of another node`);
  return { ok: true, workflow: renameEverywhere(wf, from, to), select: { type: "node", id: to } };
}

/** A copy with a fresh id and no edges, placed after the original in the list. */
export function duplicateNode(wf: Workflow, id: string): EditResult {
  const index = wf.nodes.findIndex((n) => n.id === id);
  if (index < 0) return refuse(`there is no node \`${id}\``);
  const copy = {
    ...structuredClone(wf.nodes[index]!),
    // A copy of `fetch-copy-1` is `fetch-copy-2`, not `fetch-copy-1-copy-1`.
    id: freshId(`${id.replace(/-copy-\d+$/, "")}-copy`, nodeIds(wf)),
  } as WorkflowNode;
  const nodes = [...wf.nodes.slice(0, index + 1), copy, ...wf.nodes.slice(index + 1)];
  return { ok: true, workflow: { ...wf, nodes }, select: { type: "node", id: copy.id } };
}
