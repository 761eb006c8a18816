/** The shape of the flow: cycles, unreachable nodes, and how gateways and their edges are used. */
import { findCycles, reachableFrom, stronglyConnectedComponents } from "../../graph/index.js";
import { type Draft, error, warning } from "../findings.js";
import { type Edge, edgeId, type WorkflowNode } from "../model.js";
import type { Facts } from "./facts.js";

export function checkFlow(f: Facts): Draft[] {
  const cycles = findCycles(f.graph);
  return [
    ...checkCycles(f, cycles),
    ...checkReachability(f, cycles),
    ...checkGateways(f),
    ...checkFanOut(f),
  ];
}

function checkCycles(f: Facts, cycles: string[][]): Draft[] {
  return cycles.map((cycle) => {
    const [first, second] = cycle;
    const closing = f.outgoing.get(cycle.at(-2)!)!.find((e) => e.edge.to === first);
    const at = closing ?? f.outgoing.get(first!)!.find((e) => e.edge.to === second);
    return error(
      "E_CYCLE",
      at ? ["edges", at.index] : ["nodes", f.byId.get(first!)!.index],
      `cycle: ${cycle.join(" -> ")}`,
      {
        nodeId: first,
        edgeId: at ? edgeId(at.edge) : undefined,
        hint: "a workflow is a DAG: remove or reverse one of these edges",
      },
    );
  });
}

/** Compensation nodes run only while undoing a saga, so they are never on the normal flow. */
const onFlow = (node: WorkflowNode) => node.kind !== "compensation";

/** Nodes after a cycle can never start; the nodes on it are reported with the cycle itself. */
function checkReachability(f: Facts, cycles: string[][]): Draft[] {
  const onCycle = new Set(
    cycles.length === 0
      ? []
      : stronglyConnectedComponents(f.graph)
          .filter((c) => c.length > 1)
          .flat(),
  );
  for (const cycle of cycles) onCycle.add(cycle[0]!);
  const starts = [...f.byId.values()]
    .filter(({ node }) => onFlow(node) && f.incoming.get(node.id)!.length === 0)
    .map(({ node }) => node.id);
  const reached = reachableFrom(f.graph, starts);
  const out: Draft[] = [];
  for (const { node, index } of f.byId.values()) {
    if (!onFlow(node) || onCycle.has(node.id)) continue;
    if (!reached.has(node.id)) {
      out.push(
        error(
          "E_UNREACHABLE",
          ["nodes", index],
          `node \`${node.id}\` can never start: every path to it goes through a cycle`,
          {
            nodeId: node.id,
            hint: "break the cycle before it",
          },
        ),
      );
    }
  }
  return out;
}

function checkGateways(f: Facts): Draft[] {
  const out: Draft[] = [];
  for (const { node, index } of f.byId.values()) {
    const outgoing = f.outgoing.get(node.id)!;
    const incoming = f.incoming.get(node.id)!;
    const nodePath = ["nodes", index];
    if (node.kind === "compensation") {
      for (const e of [...incoming, ...outgoing]) {
        out.push(
          error(
            "E_COMPENSATION_EDGE",
            ["edges", e.index],
            `compensation node \`${node.id}\` has an edge (${edgeId(e.edge)})`,
            {
              nodeId: node.id,
              edgeId: edgeId(e.edge),
              hint: "compensation nodes run only while a saga is undone: point a task's `compensation` at it instead of an edge",
            },
          ),
        );
      }
      continue;
    }
    if (node.kind === "decision") {
      for (const e of outgoing) {
        if (typeof e.edge.condition !== "boolean") {
          out.push(
            error(
              "E_DECISION_EDGE",
              ["edges", e.index, "condition"],
              `edge ${edgeId(e.edge)} leaves decision \`${node.id}\` without \`condition: true\` or \`condition: false\``,
              {
                nodeId: node.id,
                edgeId: edgeId(e.edge),
                hint: "label each edge of a decision with the branch it is: `condition: true` or `condition: false`",
              },
            ),
          );
        }
      }
      const branches = new Set(outgoing.map((e) => e.edge.condition));
      if (!branches.has(true)) {
        out.push(
          error(
            "E_DECISION_BRANCH_MISSING",
            nodePath,
            `decision \`${node.id}\` has no \`true\` branch`,
            { nodeId: node.id, hint: "add an edge from it with `condition: true`" },
          ),
        );
      }
      if (!branches.has(false) && branches.has(true)) {
        out.push(
          warning(
            "W_DECISION_NO_FALSE_BRANCH",
            nodePath,
            `decision \`${node.id}\` has no \`false\` branch: when it is false, everything after it is skipped`,
            {
              nodeId: node.id,
              hint: "add an edge with `condition: false` if something should run instead",
            },
          ),
        );
      }
    } else if (node.kind === "exclusive") {
      const defaults = outgoing.filter((e) => e.edge.default);
      for (const e of outgoing) {
        if (!e.edge.default && typeof e.edge.condition !== "string") {
          out.push(
            error(
              "E_EXCLUSIVE_EDGE",
              ["edges", e.index],
              `edge ${edgeId(e.edge)} leaves exclusive gateway \`${node.id}\` with neither a condition nor \`default: true\``,
              {
                nodeId: node.id,
                edgeId: edgeId(e.edge),
                hint: "give it a CEL `condition`, or mark the one fallback edge `default: true`",
              },
            ),
          );
        }
        if (e.edge.default && e.edge.condition !== undefined) {
          out.push(
            error(
              "E_EXCLUSIVE_EDGE",
              ["edges", e.index, "condition"],
              `default edge ${edgeId(e.edge)} also has a condition`,
              {
                nodeId: node.id,
                edgeId: edgeId(e.edge),
                hint: "the default edge is taken when no condition holds: drop its condition",
              },
            ),
          );
        }
      }
      if (defaults.length > 1) {
        out.push(
          error(
            "E_EXCLUSIVE_DEFAULTS",
            ["edges", defaults[1]!.index, "default"],
            `exclusive gateway \`${node.id}\` has ${defaults.length} default edges`,
            { nodeId: node.id, hint: "keep one `default: true` edge" },
          ),
        );
      }
      if (outgoing.length < 2) {
        out.push(
          warning(
            "W_GATEWAY_TRIVIAL",
            nodePath,
            `exclusive gateway \`${node.id}\` has ${outgoing.length} outgoing edge(s); it chooses between two or more`,
            { nodeId: node.id },
          ),
        );
      } else if (defaults.length === 0) {
        out.push(
          warning(
            "W_EXCLUSIVE_NO_DEFAULT",
            nodePath,
            `exclusive gateway \`${node.id}\` has no default edge: when no condition holds, everything after it is skipped`,
            {
              nodeId: node.id,
              hint: "mark one edge `default: true`",
            },
          ),
        );
      }
    } else if (node.kind === "parallel") {
      if (outgoing.length <= 1 && incoming.length <= 1) {
        out.push(
          warning(
            "W_GATEWAY_TRIVIAL",
            nodePath,
            `parallel gateway \`${node.id}\` neither forks nor joins (${incoming.length} in, ${outgoing.length} out)`,
            {
              nodeId: node.id,
              hint: "remove it, or give it several outgoing (fork) or incoming (join) edges",
            },
          ),
        );
      }
    }
    if (node.kind !== "decision" && node.kind !== "exclusive") {
      for (const e of outgoing) out.push(...misplacedEdgeFields(node, e));
    }
  }
  return out;
}

function misplacedEdgeFields(node: WorkflowNode, e: { edge: Edge; index: number }): Draft[] {
  const out: Draft[] = [];
  const id = edgeId(e.edge);
  if (e.edge.condition !== undefined) {
    out.push(
      error(
        "E_EDGE_CONDITION",
        ["edges", e.index, "condition"],
        `edge ${id} has a condition, but it leaves a ${node.kind} node`,
        {
          nodeId: node.id,
          edgeId: id,
          hint: "conditions belong on edges leaving a decision or an exclusive gateway: put one between them",
        },
      ),
    );
  }
  if (e.edge.default) {
    out.push(
      error(
        "E_EDGE_CONDITION",
        ["edges", e.index, "default"],
        `edge ${id} is marked default, but it leaves a ${node.kind} node`,
        { nodeId: node.id, edgeId: id, hint: "`default` belongs on an exclusive gateway's edges" },
      ),
    );
  }
  return out;
}

function checkFanOut(f: Facts): Draft[] {
  const out: Draft[] = [];
  if (f.workflow.nodes.length > f.limits.maxNodes) {
    out.push(
      error(
        "E_LIMIT_NODES",
        ["nodes"],
        `the workflow has ${f.workflow.nodes.length} nodes; the limit is ${f.limits.maxNodes}`,
        {
          hint: "split it into sub-workflows, or raise `limits.maxNodes`",
        },
      ),
    );
  }
  for (const { node, index } of f.byId.values()) {
    const fanOut = f.outgoing.get(node.id)!.length;
    if (fanOut > f.limits.maxFanOut) {
      out.push(
        error(
          "E_LIMIT_FANOUT",
          ["nodes", index],
          `node \`${node.id}\` fans out to ${fanOut} nodes; the limit is ${f.limits.maxFanOut}`,
          { nodeId: node.id, hint: "use a `map` task, or raise `limits.maxFanOut`" },
        ),
      );
    }
    if (node.kind === "task" && node.map && node.map.concurrency > f.limits.maxFanOut) {
      out.push(
        error(
          "E_LIMIT_FANOUT",
          ["nodes", index, "map", "concurrency"],
          `map concurrency ${node.map.concurrency} is above the fan-out limit ${f.limits.maxFanOut}`,
          { nodeId: node.id },
        ),
      );
    }
  }
  return out;
}
