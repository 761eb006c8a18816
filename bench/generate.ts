/** Realistic generated workflows for benchmarks: layered DAGs of tasks, decisions and joins. */
import { toNativeYaml, type WorkflowInput, WorkflowSchema } from "../src/spec/index.js";

export function generateWorkflow(nodeCount: number, seed = 1): string {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const width = Math.max(2, Math.round(Math.sqrt(nodeCount) / 2));
  const nodes: NonNullable<WorkflowInput["nodes"]> = [];
  const edges: NonNullable<WorkflowInput["edges"]> = [];
  const layers: string[][] = [];
  const decisions = new Set<string>();
  const connect = (from: string, to: string) =>
    edges.push(decisions.has(from) ? { from, to, condition: random() < 0.5 } : { from, to });
  for (let i = 0; i < nodeCount; i++) {
    const layer = Math.floor(i / width);
    layers[layer] ??= [];
    const id = `n${i}`;
    layers[layer]!.push(id);
    const previous = layers[layer - 1];
    const isDecision = previous !== undefined && i % 17 === 5 && i < nodeCount - 2 * width;
    if (isDecision) {
      const source = previous[Math.floor(random() * previous.length)]!;
      nodes.push({
        id,
        kind: "decision",
        condition: `nodes.${source}.output.score > params.threshold`,
      });
      connect(source, id);
      decisions.add(id);
      continue;
    }
    nodes.push({
      id,
      kind: "task",
      name: `Step ${i}`,
      handler: "shell",
      with: { command: ["process", "--item", "${params.batch}", `--n=${i}`] },
      retries: { max: 2, backoff: "exponential", initial: "1s" },
      timeout: "5m",
    });
    if (!previous) continue;
    const parents = new Set<string>();
    const fanIn = 1 + Math.floor(random() * 3);
    for (let k = 0; k < fanIn; k++) parents.add(previous[Math.floor(random() * previous.length)]!);
    for (const from of parents) connect(from, id);
  }
  // Every decision gets both branches, so the generated workflow validates clean.
  for (const id of decisions) {
    const outgoing = edges.filter((e) => e.from === id);
    const layer = layers.findIndex((l) => l.includes(id));
    const next = (layers[layer + 1] ?? []).filter((n) => !outgoing.some((e) => e.to === n));
    while (outgoing.length < 2 && next.length > 0) {
      const edge = { from: id, to: next.shift()!, condition: true };
      edges.push(edge);
      outgoing.push(edge);
    }
    outgoing.forEach((e, i) => {
      e.condition = i % 2 === 0;
    });
  }
  const workflow = WorkflowSchema.parse({
    name: `generated-${nodeCount}`,
    parameters: {
      threshold: { type: "number", default: 0.5 },
      batch: { type: "string", default: "b1" },
    },
    limits: { maxNodes: Math.max(500, nodeCount + 100) },
    nodes,
    edges,
  });
  return toNativeYaml([workflow]);
}
