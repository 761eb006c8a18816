/**
 * Sharing a worker's free slots between the runs it could take nodes from. Pure.
 *
 * A script per run costs about the same whether it moves one node or fifty, so slots go run by
 * run, each capped by what it can use, rather than spread thin: a run's nodes are then claimed,
 * run and completed together.
 */
import type { Completion } from "../store/index.js";
import type { ExecutionPlan } from "./plan.js";

/**
 * `total` slots handed out in order to takers that can use at most `caps[i]` each; takers whose
 * need is unknown share what is left evenly.
 */
export function allot(total: number, caps: readonly (number | undefined)[]): number[] {
  const out = caps.map(() => 0);
  let left = Math.max(0, total);
  caps.forEach((cap, i) => {
    if (cap === undefined) return;
    out[i] = Math.max(0, Math.min(cap, left));
    left -= out[i]!;
  });
  const unknown = caps.flatMap((cap, i) => (cap === undefined ? [i] : []));
  unknown.forEach((i, k) => {
    out[i] = Math.floor(left / unknown.length) + (k < left % unknown.length ? 1 : 0);
  });
  return out;
}

/** How many nodes these completions can release at most: the distinct targets of their taken edges. */
export function releasable(plan: ExecutionPlan, done: readonly Completion[]): number {
  const targets = new Set<string>();
  for (const d of done)
    for (const t of d.taken === "all"
      ? (plan.nodes.get(d.node)?.out ?? []).map((e) => e.to)
      : d.taken)
      targets.add(t);
  return targets.size;
}
