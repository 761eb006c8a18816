/** Finding nodes by what someone types: the exact id first, then ids and names containing it. */
import type { Workflow } from "../../spec/index.js";

export function findNodes(workflow: Pick<Workflow, "nodes">, text: string): string[] {
  const needle = text.trim().toLowerCase();
  if (needle === "") return [];
  const nodes = workflow.nodes;
  const exact = nodes.filter((n) => n.id === needle).map((n) => n.id);
  const partial = nodes
    .filter(
      (n) =>
        n.id !== needle && (n.id.includes(needle) || (n.name ?? "").toLowerCase().includes(needle)),
    )
    .map((n) => n.id);
  return [...exact, ...partial];
}
