/**
 * Generated workflows for the canvas benchmark, as the designer hands them to layout: layers of
 * tasks with fan-out and fan-in, decisions with true/false edges, exclusive gateways with
 * conditions, parallel forks, delays, sub-workflows and compensations, names of mixed length.
 */
import type { LayoutEdge, LayoutInput, LayoutNode } from "../src/layout/index.js";

const VERBS = ["fetch", "parse", "validate", "enrich", "score", "store", "notify", "archive"];
const NOUNS = ["orders", "invoice", "customer-profile", "batch", "report", "shipment", "ledger"];

export function generateLayoutInput(nodeCount: number, seed = 7): LayoutInput {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const width = Math.max(2, Math.round(Math.sqrt(nodeCount) / 2));
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const layers: string[][] = [];
  const connect = (from: string, to: string, label?: string) =>
    edges.push({ id: `e${edges.length}`, from, to, ...(label ? { label } : {}) });

  for (let i = 0; i < nodeCount; i++) {
    const layer = Math.floor(i / width);
    const id = `n${i}`;
    layers[layer] ??= [];
    layers[layer].push(id);
    const roll = random();
    const kind =
      i % 23 === 5
        ? "decision"
        : i % 29 === 7
          ? "exclusive"
          : i % 31 === 11
            ? "parallel"
            : roll < 0.04
              ? "delay"
              : roll < 0.07
                ? "subworkflow"
                : roll < 0.09
                  ? "compensation"
                  : "task";
    const label = kind === "task" ? `${pick(VERBS)} ${pick(NOUNS)} ${i}` : `${kind} ${i}`;
    nodes.push({ id, kind, label });
    const previous = layers[layer - 1];
    if (!previous) continue;
    const parents = new Set<string>();
    const fanIn = 1 + Math.floor(random() * 3);
    for (let k = 0; k < fanIn; k++) parents.add(pick(previous));
    for (const from of parents) connect(from, id);
  }
  // Gateways branch into the next layer with labelled edges.
  nodes.forEach((n, i) => {
    const layer = Math.floor(i / width);
    const next = layers[layer + 1];
    if (!next || n.kind === "task") return;
    const targets = [...new Set([pick(next), pick(next), pick(next)])];
    targets.forEach((to, k) => {
      const label =
        n.kind === "decision"
          ? k % 2 === 0
            ? "true"
            : "false"
          : n.kind === "exclusive"
            ? `score > ${k + 1}0`
            : undefined;
      connect(n.id, to, label);
    });
  });
  return { nodes, edges };
}
