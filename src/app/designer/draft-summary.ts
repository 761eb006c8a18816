/** One line on a draft offered back: how old it is and what it changes against the saved version. */
import { diffWorkflows, type Workflow } from "../../spec/index.js";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** `2 nodes added, 1 changed, 1 edge removed`, or `no changes to nodes or edges`. */
export function draftChanges(saved: Workflow, draft: Workflow): string {
  const d = diffWorkflows(saved, draft);
  const parts = [
    d.nodesAdded.length > 0 && `${plural(d.nodesAdded.length, "node")} added`,
    d.nodesRemoved.length > 0 && `${plural(d.nodesRemoved.length, "node")} removed`,
    d.nodesChanged.length > 0 && `${plural(d.nodesChanged.length, "node")} changed`,
    d.edgesAdded.length > 0 && `${plural(d.edgesAdded.length, "edge")} added`,
    d.edgesRemoved.length > 0 && `${plural(d.edgesRemoved.length, "edge")} removed`,
    d.parametersAdded.length + d.parametersRemoved.length + d.parametersChanged.length > 0 &&
      "parameters changed",
    d.other.length > 0 && `${plural(d.other.length, "other field")} changed`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "no changes to nodes or edges";
}

/** `5 s ago`, `3 min ago`, `2 h ago`, `4 days ago`. */
export function ageOf(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}
