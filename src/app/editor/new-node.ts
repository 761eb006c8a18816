/** A fresh node of each kind, with the fields it needs to be valid (or nearly) from the start. */
import type { NodeKind, WorkflowNode } from "../../spec/index.js";
import { NodeSchema } from "../../spec/index.js";

const STARTERS: Record<NodeKind, Record<string, unknown>> = {
  task: { kind: "task", handler: "shell", with: { command: ["echo", "hello"] } },
  decision: { kind: "decision", condition: "true" },
  exclusive: { kind: "exclusive" },
  parallel: { kind: "parallel" },
  delay: { kind: "delay", duration: "1m" },
  compensation: { kind: "compensation", handler: "noop" },
  subworkflow: { kind: "subworkflow", workflow: "child" },
};

/** `task-1`, `task-2`, ... : the first id of that kind not taken yet. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function newNode(kind: NodeKind, taken: ReadonlySet<string>): WorkflowNode {
  return NodeSchema.parse({ id: freshId(kind, taken), ...STARTERS[kind] });
}
