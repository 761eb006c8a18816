/**
 * Every CEL expression in the workflow, type-checked against its parameters and nodes: decision
 * conditions, exclusive edges, `map.over`, and `${...}` inside task arguments, sub-workflow
 * params and delays. An expression may only read nodes that finish before it is evaluated.
 */
import { ancestorsOf } from "../../graph/index.js";
import {
  type CelScope,
  checkExpression,
  referencedNodes,
  referencedOutputs,
  referencedParams,
  workflowScope,
} from "../cel.js";
import { type Draft, error, type Path } from "../findings.js";
import { didYouMean } from "../suggest.js";
import { scanTemplate, templatedStrings } from "../templates.js";
import type { Facts } from "./facts.js";

interface Site {
  path: Path;
  text: string;
  /** The node whose turn it is when this is evaluated: it may read only that node's ancestors. */
  at: string;
  nodeId: string;
  edgeId?: string;
  /** A whole-string expression (condition) rather than a `${...}` template. */
  whole: boolean;
  wantBool?: boolean;
  mapped?: boolean;
}

export function checkExpressions(f: Facts): Draft[] {
  const nodeIds = [...f.byId.keys()];
  const base: CelScope = { ...workflowScope(f.workflow), nodeIds };
  const mappedScope: CelScope = { ...base, mapped: true };
  const ancestors = new Map<string, Set<string>>();
  const upstreamOf = (id: string) => {
    let set = ancestors.get(id);
    if (!set) {
      // A compensation runs after the task it undoes succeeded: it reads that task and what
      // ran before it (a refund needs the charge's id).
      const node = f.byId.get(id)?.node;
      const undoes = node?.kind === "compensation" ? node.compensates : undefined;
      set =
        undoes !== undefined && f.byId.has(undoes)
          ? new Set([undoes, ...ancestorsOf(f.graph, undoes)])
          : ancestorsOf(f.graph, id);
      ancestors.set(id, set);
    }
    return set;
  };
  const out: Draft[] = [];
  for (const site of sites(f)) {
    const parts = site.whole ? [{ expression: site.text, offset: 0 }] : templateParts(site, out);
    for (const { expression, offset } of parts) {
      const problem = checkOne(expression, site.mapped ? mappedScope : base, site, upstreamOf, f);
      if (problem) {
        out.push(
          error(
            problem.code,
            site.path,
            problem.column === undefined
              ? problem.message
              : `${problem.message} (column ${offset + problem.column + 1} of the ${site.whole ? "expression" : "value"})`,
            {
              ...(site.nodeId ? { nodeId: site.nodeId } : {}),
              edgeId: site.edgeId,
              hint: problem.hint,
              offset: offset + (problem.column ?? 0),
            },
          ),
        );
      }
    }
  }
  return out;
}

function templateParts(site: Site, out: Draft[]) {
  const scan = scanTemplate(site.text);
  if (scan.ok) return scan.expressions;
  out.push(
    error("E_TEMPLATE", site.path, scan.message, {
      ...(site.nodeId ? { nodeId: site.nodeId } : {}),
      offset: scan.offset,
      hint: "close it with `}`, or write `$${` for a literal `${`",
    }),
  );
  return [];
}

interface Problem {
  code: string;
  message: string;
  hint?: string;
  column?: number;
}

function checkOne(
  expression: string,
  scope: CelScope,
  site: Site,
  upstreamOf: (id: string) => Set<string>,
  f: Facts,
): Problem | undefined {
  for (const { name, offset } of referencedParams(expression)) {
    if (!(name in f.workflow.parameters)) {
      return {
        code: "E_UNKNOWN_PARAM",
        message: `\`params.${name}\` is not a declared parameter`,
        hint:
          didYouMean(name, Object.keys(f.workflow.parameters)) ??
          `declare it under \`parameters:\` (declared: ${Object.keys(f.workflow.parameters).join(", ") || "none"})`,
        column: offset,
      };
    }
  }
  const named = referencedOutputs(expression, scope.outputs ?? {});
  for (const id of [...referencedNodes(expression), ...named]) {
    if (!f.byId.has(id)) {
      return {
        code: "E_UNKNOWN_NODE_REF",
        message: `\`nodes.${id}\` is not a node of this workflow`,
        hint: didYouMean(id, f.byId.keys()),
        column: Math.max(0, expression.indexOf(id)),
      };
    }
    if (site.at === "") {
      return {
        code: "E_NOT_UPSTREAM",
        message: `reads \`nodes.${id}\`, but \`defaults.env\` is given to every task, before any node has run`,
        hint: "read params or run here, or put the value in the task's own `env`",
        column: Math.max(0, expression.indexOf(id)),
      };
    }
    if (id === site.at || !upstreamOf(site.at).has(id)) {
      return {
        code: "E_NOT_UPSTREAM",
        message: `reads \`nodes.${id}\`, which ${id === site.at ? "is this node itself" : "does not run before it"}`,
        hint: `add a path of edges from \`${id}\` to \`${site.at}\`, or read another node`,
        column: Math.max(0, expression.indexOf(id)),
      };
    }
  }
  const result = checkExpression(expression, scope);
  if (!result.ok)
    return {
      code: "E_CEL",
      message: result.message,
      column: result.offset,
      hint: "conditions and `${...}` are CEL: see https://cel.dev",
    };
  if (site.wantBool && result.type !== "bool" && result.type !== "dyn") {
    return {
      code: "E_CEL_TYPE",
      message: `the condition yields ${result.type}, not bool`,
      hint: 'compare it, e.g. `x > 0` or `x == "done"`',
    };
  }
  return undefined;
}

function* sites(f: Facts): Generator<Site> {
  for (const { node, index } of f.byId.values()) {
    const at = (...rest: (string | number)[]) => ["nodes", index, ...rest];
    if (node.kind === "decision")
      yield {
        path: at("condition"),
        text: node.condition,
        at: node.id,
        nodeId: node.id,
        whole: true,
        wantBool: true,
      };
    if (node.kind === "task" || node.kind === "compensation") {
      const mapped = node.kind === "task" && node.map !== undefined;
      if (node.kind === "task" && node.map)
        yield {
          path: at("map", "over"),
          text: node.map.over,
          at: node.id,
          nodeId: node.id,
          whole: true,
        };
      for (const s of templatedStrings(node.with, at("with")))
        yield { path: s.path, text: s.text, at: node.id, nodeId: node.id, whole: false, mapped };
    }
    if (node.kind === "subworkflow") {
      for (const s of templatedStrings(node.params, at("params")))
        yield { path: s.path, text: s.text, at: node.id, nodeId: node.id, whole: false };
    }
    if (node.kind === "delay" && node.until?.includes("${"))
      yield { path: at("until"), text: node.until, at: node.id, nodeId: node.id, whole: false };
  }
  // The workflow's environment, given to every shell task: it may read params and run.
  for (const s of templatedStrings(f.workflow.defaults.env ?? {}, ["defaults", "env"]))
    yield { path: s.path, text: s.text, at: "", nodeId: "", whole: false };
  for (const { edge, index } of f.edges) {
    const from = f.byId.get(edge.from)!.node;
    if (from.kind === "exclusive" && typeof edge.condition === "string") {
      yield {
        path: ["edges", index, "condition"],
        text: edge.condition,
        at: from.id,
        nodeId: from.id,
        edgeId: `${edge.from}->${edge.to}`,
        whole: true,
        wantBool: true,
      };
    }
  }
}
