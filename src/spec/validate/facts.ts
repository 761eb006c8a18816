/** What every check needs to know about a workflow, computed once per validation. */
import { buildGraph, type Graph } from "../../graph/index.js";
import type { Limits, Workflow, WorkflowNode } from "../model.js";
import { DEFAULT_LIMITS, type Edge } from "../model.js";

export interface ValidateContext {
  /** The other workflows of the same file, by name: sub-workflow calls resolve here first. */
  siblings?: ReadonlyMap<string, Workflow>;
  /** Whether the store holds a workflow of this name; leave out when no store is at hand. */
  storeHas?: (name: string) => boolean;
  /** Limits from weft.config; the workflow's own `limits` override them. */
  limits?: Partial<Limits>;
}

export interface Facts {
  workflow: Workflow;
  context: ValidateContext;
  /** First node with each id (duplicates are reported, then ignored). */
  byId: Map<string, { node: WorkflowNode; index: number }>;
  /** Edges whose both ends exist, with their index in `edges`. */
  edges: { edge: Edge; index: number }[];
  outgoing: Map<string, { edge: Edge; index: number }[]>;
  incoming: Map<string, { edge: Edge; index: number }[]>;
  graph: Graph;
  limits: Required<Pick<Limits, "maxNodes" | "maxFanOut" | "maxRetries">> & { maxTimeout: string };
}

export function gatherFacts(workflow: Workflow, context: ValidateContext): Facts {
  const byId = new Map<string, { node: WorkflowNode; index: number }>();
  workflow.nodes.forEach((node, index) => {
    if (!byId.has(node.id)) byId.set(node.id, { node, index });
  });
  const edges = workflow.edges
    .map((edge, index) => ({ edge, index }))
    .filter(({ edge }) => byId.has(edge.from) && byId.has(edge.to));
  const outgoing = new Map<string, { edge: Edge; index: number }[]>();
  const incoming = new Map<string, { edge: Edge; index: number }[]>();
  for (const id of byId.keys()) {
    outgoing.set(id, []);
    incoming.set(id, []);
  }
  for (const e of edges) {
    outgoing.get(e.edge.from)!.push(e);
    incoming.get(e.edge.to)!.push(e);
  }
  const merged = {
    ...DEFAULT_LIMITS,
    ...stripUndefined(context.limits),
    ...stripUndefined(workflow.limits),
  };
  return {
    workflow,
    context,
    byId,
    edges,
    outgoing,
    incoming,
    graph: buildGraph(
      byId.keys(),
      edges.map((e) => e.edge),
    ),
    limits: merged,
  };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
