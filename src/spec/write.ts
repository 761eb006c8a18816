/**
 * Writing the native format: one document per workflow, keys in a stable reading order, values
 * equal to their defaults left out. Reading the text back gives the same content hash.
 */
import { Document } from "yaml";
import { defaultsOf } from "./defaults.js";
import { HANDLER_ARGS } from "./handlers.js";
import {
  ContinueOnSchema,
  EdgeSchema,
  NodeSchema,
  ParameterSchema,
  RetriesSchema,
  type Workflow,
  type WorkflowNode,
} from "./model.js";

const WORKFLOW_ORDER = [
  "name",
  "description",
  "parameters",
  "defaults",
  "limits",
  "metadata",
  "nodes",
  "edges",
];
const NODE_ORDER = [
  "id",
  "kind",
  "name",
  "description",
  "handler",
  "with",
  "condition",
  "workflow",
  "params",
  "duration",
  "until",
  "cron",
  "compensates",
  "compensation",
  "output",
  "timeout",
  "killGrace",
  "retries",
  "lostAttempts",
  "cache",
  "map",
  "concurrency",
  "queue",
  "priority",
  "continueOnFailure",
  "continueOn",
];
const EDGE_ORDER = ["from", "to", "condition", "default", "label"];
const PARAMETER_ORDER = ["type", "required", "default", "enum", "description"];

const nodeDefaults = Object.fromEntries(
  NodeSchema.options.map((s) => [s.shape.kind.value, defaultsOf(s)]),
);
const edgeDefaults = defaultsOf(EdgeSchema);
/** A parameter always shows its type, even the default one. */
const { type: _alwaysShown, ...parameterDefaults } = defaultsOf(ParameterSchema);
const retriesDefaults = defaultsOf(RetriesSchema);
/** Mappings inside a node written without their defaults. */
const nestedDefaults: Record<string, Record<string, unknown>> = {
  retries: retriesDefaults,
  continueOn: defaultsOf(ContinueOnSchema),
};
const handlerDefaults = Object.fromEntries(
  Object.entries(HANDLER_ARGS).map(([h, s]) => [h, defaultsOf(s)]),
);

export function toNativeYaml(workflows: readonly Workflow[]): string {
  return workflows
    .map((wf) => new Document(presentable(wf)).toString({ lineWidth: 100, minContentWidth: 20 }))
    .join("---\n");
}

function presentable(wf: Workflow): Record<string, unknown> {
  const parameters = Object.fromEntries(
    Object.entries(wf.parameters).map(([name, p]) => [
      name,
      ordered(withoutDefaults(p, parameterDefaults), PARAMETER_ORDER),
    ]),
  );
  return ordered(
    {
      ...wf,
      parameters,
      defaults: wf.defaults.retries
        ? { ...wf.defaults, retries: withoutDefaults(wf.defaults.retries, retriesDefaults) }
        : wf.defaults,
      nodes: wf.nodes.map(presentableNode),
      edges: wf.edges.map((e) => ordered(withoutDefaults(e, edgeDefaults), EDGE_ORDER)),
    },
    WORKFLOW_ORDER,
  );
}

function presentableNode(node: WorkflowNode): Record<string, unknown> {
  const plain: Record<string, unknown> = withoutDefaults(node, nodeDefaults[node.kind] ?? {});
  if ((node.kind === "task" || node.kind === "compensation") && plain.with) {
    plain.with = withoutDefaults(
      plain.with as Record<string, unknown>,
      handlerDefaults[node.handler] ?? {},
    );
  }
  for (const [key, defaults] of Object.entries(nestedDefaults))
    if (plain[key]) plain[key] = withoutDefaults(plain[key] as Record<string, unknown>, defaults);
  return ordered(plain, NODE_ORDER);
}

function withoutDefaults<T extends object>(
  value: T,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v)) continue;
    out[k] = v;
  }
  return out;
}

/** Known keys first in `order`, the rest after them alphabetically; mappings that are empty by default dropped. */
function ordered(
  value: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = [
    ...order.filter((k) => k in value),
    ...Object.keys(value)
      .filter((k) => !order.includes(k))
      .sort(),
  ];
  for (const k of keys) {
    const v = value[k];
    if (v === undefined) continue;
    if (EMPTY_MEANS_DEFAULT.has(k) && isEmptyMapping(v)) continue;
    out[k] = v;
  }
  return out;
}

/** Keys whose empty mapping is their default, so leaving them out changes nothing. */
const EMPTY_MEANS_DEFAULT = new Set([
  "parameters",
  "defaults",
  "limits",
  "metadata",
  "with",
  "params",
]);

const isEmptyMapping = (v: unknown) =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;
