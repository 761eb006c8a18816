/**
 * Setting one field of a node, an edge or the workflow, checked at once against the schema:
 * a value of the wrong shape is refused with the schema's reason, so the inspector can show it
 * beside the field. Whole-graph rules are the live validator's job.
 */
import { EdgeSchema, NodeSchema, type Workflow, WorkflowSchema } from "../../spec/index.js";
import type { EditResult } from "./edits.js";

export type FieldPath = readonly (string | number)[];

function setIn(target: unknown, path: FieldPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base = Array.isArray(target)
    ? [...target]
    : target && typeof target === "object"
      ? { ...target }
      : typeof head === "number"
        ? []
        : {};
  const container = base as Record<string | number, unknown>;
  const next = setIn(container[head!], rest, value);
  if (next === undefined && !Array.isArray(container)) delete container[head!];
  else container[head!] = next;
  return base;
}

const reason = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.length > 0 ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ");

/** `value` undefined removes the field. `id` and `kind` have their own edits. */
export function setNodeField(
  wf: Workflow,
  id: string,
  path: FieldPath,
  value: unknown,
): EditResult {
  const index = wf.nodes.findIndex((n) => n.id === id);
  if (index < 0) return { ok: false, reason: `there is no node \`${id}\`` };
  if (path[0] === "id")
    return { ok: false, reason: "rename the node to change its id (edges follow)" };
  const parsed = NodeSchema.safeParse(setIn(wf.nodes[index], path, value));
  if (!parsed.success) return { ok: false, reason: reason(parsed.error.issues) };
  const nodes = wf.nodes.map((n, i) => (i === index ? parsed.data : n));
  return { ok: true, workflow: { ...wf, nodes }, select: { type: "node", id } };
}

export function setEdgeField(
  wf: Workflow,
  id: string,
  path: FieldPath,
  value: unknown,
): EditResult {
  const index = wf.edges.findIndex((e) => `${e.from}->${e.to}` === id);
  if (index < 0) return { ok: false, reason: `there is no edge ${id}` };
  if (path[0] === "from" || path[0] === "to")
    return { ok: false, reason: "delete the edge and connect again to move it" };
  const parsed = EdgeSchema.safeParse(setIn(wf.edges[index], path, value));
  if (!parsed.success) return { ok: false, reason: reason(parsed.error.issues) };
  const edges = wf.edges.map((e, i) => (i === index ? parsed.data : e));
  return { ok: true, workflow: { ...wf, edges }, select: { type: "edge", id } };
}

/** Name, description, parameters, defaults, limits, metadata. */
export function setWorkflowField(wf: Workflow, path: FieldPath, value: unknown): EditResult {
  if (path[0] === "nodes" || path[0] === "edges")
    return { ok: false, reason: "edit nodes and edges through their own edits" };
  const parsed = WorkflowSchema.safeParse(setIn(wf, path, value));
  if (!parsed.success) return { ok: false, reason: reason(parsed.error.issues) };
  return { ok: true, workflow: parsed.data, select: null };
}
