/** Names a node refers to: compensation targets and sub-workflows (in the file, then the store). */
import { type Draft, error, warning } from "../findings.js";
import { outputName, type SubworkflowNode, type Workflow } from "../model.js";
import { isReservedName, reservedNameReason } from "../reserved.js";
import { didYouMean } from "../suggest.js";
import type { Facts } from "./facts.js";
import { shown, valueProblem } from "./structure.js";

/** `name`, `name@3` or `name@sha:1a2b3c`. */
export const WORKFLOW_REF = /^([a-z0-9][a-z0-9_.-]*)(?:@(\d+|sha:[0-9a-f]{4,64}))?$/;

export function parseWorkflowRef(ref: string): { name: string; version?: string } | undefined {
  const m = WORKFLOW_REF.exec(ref);
  return m ? { name: m[1]!, ...(m[2] ? { version: m[2] } : {}) } : undefined;
}

export function checkReferences(f: Facts): Draft[] {
  return [...checkCompensations(f), ...checkSubworkflows(f)];
}

function checkCompensations(f: Facts): Draft[] {
  const out: Draft[] = [];
  const used = new Set<string>();
  for (const { node, index } of f.byId.values()) {
    if (node.kind === "task" && node.compensation !== undefined) {
      const target = f.byId.get(node.compensation)?.node;
      used.add(node.compensation);
      if (!target) {
        out.push(
          error(
            "E_UNKNOWN_COMPENSATION",
            ["nodes", index, "compensation"],
            `task \`${node.id}\` names compensation \`${node.compensation}\`, which is not a node`,
            {
              nodeId: node.id,
              hint:
                didYouMean(
                  node.compensation,
                  [...f.byId.values()]
                    .filter((n) => n.node.kind === "compensation")
                    .map((n) => n.node.id),
                ) ?? "add a node of kind `compensation` with that id",
            },
          ),
        );
      } else if (target.kind !== "compensation") {
        out.push(
          error(
            "E_UNKNOWN_COMPENSATION",
            ["nodes", index, "compensation"],
            `task \`${node.id}\` names \`${node.compensation}\` as its compensation, but that is a ${target.kind} node`,
            {
              nodeId: node.id,
              hint: "a task's `compensation` must name a node of kind `compensation`",
            },
          ),
        );
      }
    }
    if (node.kind === "compensation" && node.compensates !== undefined) {
      const target = f.byId.get(node.compensates)?.node;
      if (target?.kind !== "task") {
        out.push(
          error(
            "E_UNKNOWN_COMPENSATION",
            ["nodes", index, "compensates"],
            `compensation \`${node.id}\` compensates \`${node.compensates}\`, which is not a task`,
            {
              nodeId: node.id,
              hint: didYouMean(node.compensates, f.byId.keys()) ?? "name the task this node undoes",
            },
          ),
        );
      } else if (target.compensation !== undefined && target.compensation !== node.id) {
        out.push(
          error(
            "E_UNKNOWN_COMPENSATION",
            ["nodes", index, "compensates"],
            `compensation \`${node.id}\` says it undoes \`${target.id}\`, but that task names \`${target.compensation}\``,
            { nodeId: node.id, hint: "make the two agree" },
          ),
        );
      } else used.add(node.id);
    }
  }
  for (const { node, index } of f.byId.values()) {
    if (node.kind === "compensation" && !used.has(node.id)) {
      out.push(
        warning(
          "W_COMPENSATION_UNUSED",
          ["nodes", index],
          `compensation \`${node.id}\` is not used by any task`,
          { nodeId: node.id, hint: `set \`compensation: ${node.id}\` on the task it undoes` },
        ),
      );
    }
  }
  return out;
}

function checkSubworkflows(f: Facts): Draft[] {
  const out: Draft[] = [];
  const siblings = f.context.siblings ?? new Map<string, Workflow>();
  for (const { node, index } of f.byId.values()) {
    if (node.kind !== "subworkflow") continue;
    const path = ["nodes", index, "workflow"];
    const ref = parseWorkflowRef(node.workflow);
    if (!ref) {
      out.push(
        error("E_SUBWORKFLOW_REF", path, `\`${node.workflow}\` is not a workflow reference`, {
          nodeId: node.id,
          hint: "write `name`, `name@3` (a version) or `name@sha:1a2b3c` (a content hash prefix)",
        }),
      );
      continue;
    }
    const cycle = callCycle(f.workflow.name, ref.name, siblings);
    if (cycle) {
      out.push(
        error("E_SUBWORKFLOW_RECURSIVE", path, `sub-workflow calls loop: ${cycle.join(" -> ")}`, {
          nodeId: node.id,
          hint: "a workflow may not call itself, directly or through others",
        }),
      );
      continue;
    }
    const child = siblings.get(ref.name);
    if (child) {
      out.push(...checkChildParams(node, index, child), ...checkChildOutputs(f, node.id, child));
      continue;
    }
    const known = f.context.storeHas?.(ref.name);
    if (known === false) {
      out.push(
        error(
          "E_SUBWORKFLOW_UNKNOWN",
          path,
          `workflow \`${ref.name}\` is neither in this file nor in the store`,
          {
            nodeId: node.id,
            hint:
              didYouMean(ref.name, siblings.keys()) ??
              "import it first, or add it to this file after a `---` line",
          },
        ),
      );
    } else if (known === undefined) {
      out.push(
        warning(
          "W_SUBWORKFLOW_UNKNOWN",
          path,
          `workflow \`${ref.name}\` is not in this file; it must be in the store when this runs`,
          {
            nodeId: node.id,
            hint:
              didYouMean(ref.name, siblings.keys()) ??
              "`weft import` it, or add it to this file after a `---` line",
          },
        ),
      );
    }
  }
  return out;
}

/** The loop of calls that `from` calling `to` would close, following the file's workflows. */
function callCycle(
  from: string,
  to: string,
  siblings: ReadonlyMap<string, Workflow>,
): string[] | undefined {
  const parent = new Map<string, string>([[to, from]]);
  const queue = [to];
  for (let head = 0; head < queue.length; head++) {
    const name = queue[head]!;
    if (name === from) {
      const path = [from];
      for (let at = parent.get(from)!; at !== from; at = parent.get(at)!) path.push(at);
      return [from, ...path.slice(1).reverse(), from];
    }
    for (const node of siblings.get(name)?.nodes ?? []) {
      if (node.kind !== "subworkflow") continue;
      const next = parseWorkflowRef(node.workflow)?.name;
      if (next !== undefined && !parent.has(next)) {
        parent.set(next, name);
        queue.push(next);
      }
    }
  }
  return undefined;
}

function checkChildParams(node: SubworkflowNode, index: number, child: Workflow): Draft[] {
  const out: Draft[] = [];
  const declared = child.parameters;
  for (const [name, value] of Object.entries(node.params)) {
    if (isReservedName(name)) {
      out.push(
        error(
          "E_RESERVED_PARAMETER",
          ["nodes", index, "params", name],
          `\`${name}\` ${reservedNameReason}`,
          {
            nodeId: node.id,
            atKey: true,
          },
        ),
      );
      continue;
    }
    const p = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!p) {
      out.push(
        error(
          "E_SUBWORKFLOW_PARAMS",
          ["nodes", index, "params", name],
          `workflow \`${child.name}\` has no parameter \`${shown(name)}\``,
          {
            nodeId: node.id,
            atKey: true,
            hint:
              didYouMean(name, Object.keys(declared)) ??
              `its parameters: ${Object.keys(declared).join(", ") || "none"}`,
          },
        ),
      );
      continue;
    }
    if (typeof value === "string" && value.includes("${")) continue;
    const problem = valueProblem(p, value);
    if (problem)
      out.push(
        error(
          "E_SUBWORKFLOW_PARAMS",
          ["nodes", index, "params", name],
          `parameter \`${name}\` of \`${child.name}\` ${problem}`,
          { nodeId: node.id },
        ),
      );
  }
  for (const [name, p] of Object.entries(declared)) {
    if (p.required && p.default === undefined && !(name in node.params)) {
      out.push(
        error(
          "E_SUBWORKFLOW_PARAMS",
          ["nodes", index, "params"],
          `\`${child.name}\` needs parameter \`${name}\`, which this node does not pass`,
          { nodeId: node.id, hint: `add \`${name}:\` under \`params\`` },
        ),
      );
    }
  }
  return out;
}

/**
 * `nodes.CALL.output.outputs.NAME` reads a child's named output (`output: NAME` in the child):
 * a NAME the child does not give is a warning at the node that reads it.
 */
function checkChildOutputs(f: Facts, call: string, child: Workflow): Draft[] {
  const named = new Set(child.nodes.flatMap((n) => outputName(n) ?? []));
  const id = call.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    `nodes(?:\\.${id}|\\[\\\\?["']${id}\\\\?["']\\])\\.output\\.outputs\\.([A-Za-z_][A-Za-z0-9_]*)`,
    "g",
  );
  const out: Draft[] = [];
  for (const { node, index } of f.byId.values()) {
    for (const m of JSON.stringify(node).matchAll(pattern)) {
      const name = m[1]!;
      if (named.has(name)) continue;
      out.push(
        warning(
          "W_CHILD_OUTPUT",
          ["nodes", index],
          `reads \`${name}\` from the outputs of \`${call}\`, but workflow \`${child.name}\` gives no output of that name`,
          {
            nodeId: node.id,
            hint:
              named.size > 0
                ? `its named outputs: ${[...named].join(", ")}`
                : `give a node of \`${child.name}\` \`output: ${name}\``,
          },
        ),
      );
    }
  }
  return out;
}
