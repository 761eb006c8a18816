/**
 * CEL expressions (conditions, `${...}` templates, `map.over`) through @marcbachmann/cel-js:
 * parsed and type-checked once per scope and cached. Never `eval`.
 */
import { Environment } from "@marcbachmann/cel-js";
import { type CheckResult, failure } from "./cel-errors.js";
import { NODE_ID, outputName, PARAMETER_NAME, type Parameter, type Workflow } from "./model.js";

/** What an expression may refer to: the workflow's declared parameters and its nodes. */
export interface CelScope {
  parameters: Readonly<Record<string, Pick<Parameter, "type" | "enum">>>;
  nodeIds: readonly string[];
  /** Named outputs (a node's `output: NAME`, as Dagu writes them): NAME -> the node's id. */
  outputs?: Readonly<Record<string, string>>;
  /** Inside a `map` task: `item` and `index` are defined. */
  mapped?: boolean;
}

/** Names an output cannot take: what CEL and the scope already mean. */
const RESERVED = new Set(
  "params nodes run item index true false null in as break const continue else for function if import let loop package namespace return var void while".split(
    " ",
  ),
);
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` (a node's `output`) can be read as a variable of its own. */
export const isOutputVariable = (name: string): boolean =>
  OUTPUT_NAME.test(name) && !RESERVED.has(name);

/** The scope of a workflow's expressions: its parameters, node ids and named outputs. */
export function workflowScope(wf: Pick<Workflow, "parameters" | "nodes">): CelScope {
  const outputs: Record<string, string> = Object.create(null);
  for (const n of wf.nodes) {
    const name = outputName(n);
    if (name !== undefined && isOutputVariable(name)) outputs[name] ??= n.id;
  }
  return {
    parameters: wf.parameters,
    nodeIds: wf.nodes.map((n) => n.id),
    ...(Object.keys(outputs).length > 0 ? { outputs } : {}),
  };
}

export type { CheckResult } from "./cel-errors.js";

const CEL_TYPE: Record<Parameter["type"], string> = {
  string: "string",
  number: "double",
  integer: "int",
  boolean: "bool",
  enum: "dyn",
  object: "map",
  array: "list",
};

const NODE_FIELDS = { output: "dyn", status: "string", attempts: "int", error: "string" } as const;
const RUN_FIELDS = { id: "string", workflow: "string", version: "int", attempt: "int" } as const;
const LIMITS = {
  maxAstNodes: 2_000,
  maxDepth: 64,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  maxCallArguments: 32,
};
const MAX_EXPRESSION_LENGTH = 4_096;
const MAX_SCOPES = 64;

interface CachedScope {
  environment: Environment;
  checks: Map<string, CheckResult>;
  programs: Map<string, (context: Record<string, unknown>) => unknown>;
}

const scopes = new Map<string, CachedScope>();
/** A scope object's key, computed once: validators pass the same scope for every expression. */
const keys = new WeakMap<CelScope, string>();

function scopeKey(scope: CelScope): string {
  let key = keys.get(scope);
  if (key === undefined) {
    key = computeScopeKey(scope);
    keys.set(scope, key);
  }
  return key;
}

function computeScopeKey(scope: CelScope): string {
  const params = Object.entries(scope.parameters)
    .map(([name, p]) => `${name}:${p.type}`)
    .join(",");
  const outputs = Object.entries(scope.outputs ?? {})
    .map(([name, id]) => `${name}=${id}`)
    .join(",");
  return `${scope.mapped ? "m" : ""}|${params}|${scope.nodeIds.join(",")}|${outputs}`;
}

function cachedScope(scope: CelScope): CachedScope {
  const key = scopeKey(scope);
  let cached = scopes.get(key);
  if (cached) return cached;
  let environment: Environment;
  try {
    environment = buildEnvironment(scope, () => true);
  } catch {
    // The library cannot declare some names (a node id `)x` or `a,b`); such ids and names are
    // reported as E_BAD_ID / E_BAD_PARAMETER, so expressions are checked without them.
    environment = buildEnvironment(scope, (name, kind) =>
      (kind === "node" ? NODE_ID : PARAMETER_NAME).test(name),
    );
  }
  cached = { environment, checks: new Map(), programs: new Map() };
  if (scopes.size >= MAX_SCOPES) scopes.delete(scopes.keys().next().value!);
  scopes.set(key, cached);
  return cached;
}

function buildEnvironment(
  scope: CelScope,
  keep: (name: string, kind: "node" | "param") => boolean,
): Environment {
  const params: Record<string, string> = Object.create(null);
  for (const [name, p] of Object.entries(scope.parameters))
    if (keep(name, "param")) params[name] = CEL_TYPE[p.type] ?? "dyn";
  const nodes: Record<string, typeof NODE_FIELDS> = Object.create(null);
  for (const id of scope.nodeIds) if (keep(id, "node")) nodes[id] = NODE_FIELDS;
  let environment = new Environment({ limits: LIMITS, homogeneousAggregateLiterals: false });
  environment = environment.registerVariable({ name: "params", schema: params });
  environment = environment.registerVariable({ name: "nodes", schema: nodes });
  environment = environment.registerVariable({ name: "run", schema: RUN_FIELDS });
  if (scope.mapped) {
    environment = environment.registerVariable("item", "dyn");
    environment = environment.registerVariable("index", "int");
  }
  for (const [name, id] of Object.entries(scope.outputs ?? {}))
    if (keep(id, "node")) environment = environment.registerVariable(name, "dyn");
  return environment;
}

/** Parses and type-checks `expression` in `scope`; the error carries the offending offset. */
export function checkExpression(expression: string, scope: CelScope): CheckResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      message: `the expression is ${expression.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      offset: 0,
    };
  }
  if (expression.trim() === "") return { ok: false, message: "the expression is empty", offset: 0 };
  const cached = cachedScope(scope);
  let result = cached.checks.get(expression);
  if (result) return result;
  try {
    const checked = cached.environment.check(expression);
    result = checked.valid
      ? { ok: true, type: String(checked.type ?? "dyn") }
      : failure(checked.error, expression, cached.environment);
  } catch (cause) {
    result = failure(cause);
  }
  cached.checks.set(expression, result);
  return result;
}

/**
 * The node ids an expression reads (`nodes.x`, `nodes["x-y"]`), so the validator can check
 * that each has run before the expression is evaluated.
 */
export function referencedNodes(expression: string): string[] {
  return memo(nodeRefs, expression, findNodeRefs);
}

/** The nodes whose named outputs (`output: NAME`) an expression reads by name. */
export function referencedOutputs(
  expression: string,
  outputs: Readonly<Record<string, string>>,
): string[] {
  const names = Object.keys(outputs);
  if (names.length === 0) return [];
  // String literals are text, not names.
  const code = expression.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '""');
  const found = new Set<string>();
  for (const m of code.matchAll(/(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)\b/g))
    if (Object.hasOwn(outputs, m[1]!)) found.add(outputs[m[1]!]!);
  return [...found];
}

export function referencedParams(expression: string): { name: string; offset: number }[] {
  return memo(paramRefs, expression, findParamRefs);
}

/** Workflows repeat the same few expressions many times; a small cache per kind of lookup. */
const nodeRefs = new Map<string, string[]>();
const paramRefs = new Map<string, { name: string; offset: number }[]>();
function memo<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= 4_096) cache.clear();
    value = compute(key);
    cache.set(key, value);
  }
  return value;
}

function findNodeRefs(expression: string): string[] {
  const found = new Set<string>();
  const pattern =
    /\bnodes\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\])/g;
  for (const m of expression.matchAll(pattern)) found.add(m[1] ?? m[2] ?? m[3]!);
  return [...found];
}

/** The parameter names an expression reads (`params.x`, `params["x"]`). */
function findParamRefs(expression: string): { name: string; offset: number }[] {
  const pattern =
    /\bparams\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\])/g;
  return [...expression.matchAll(pattern)].map((m) => ({
    name: (m[1] ?? m[2] ?? m[3])!,
    offset: m.index!,
  }));
}

/** What an expression reads when it runs: parameter values, finished nodes, the run. */
export interface CelValues {
  params: Record<string, unknown>;
  nodes: Record<string, { output?: unknown; status?: string; attempts?: number; error?: string }>;
  run: { id: string; workflow: string; version: number; attempt: number };
  item?: unknown;
  index?: number;
}

/**
 * Evaluates an expression that passed `checkExpression` in the same scope. CEL's integers are
 * BigInts in the library: integer parameters go in as BigInt and every BigInt comes out as a
 * plain number, so callers only ever see JSON values.
 */
export function evaluateExpression(
  expression: string,
  scope: CelScope,
  values: CelValues,
): unknown {
  const cached = cachedScope(scope);
  let program = cached.programs.get(expression);
  if (!program) {
    program = cached.environment.parse(expression) as unknown as (
      context: Record<string, unknown>,
    ) => unknown;
    if (cached.programs.size > 4_096) cached.programs.clear();
    cached.programs.set(expression, program);
  }
  // Maps, not objects: the library tells a value's type by its `constructor` property, which a
  // key named `constructor` (a parameter, a node id, a key in an output) would shadow.
  const params = new Map<string, unknown>();
  for (const [name, p] of Object.entries(scope.parameters)) {
    const v = Object.hasOwn(values.params, name) ? values.params[name] : undefined;
    params.set(
      name,
      p.type === "integer" && typeof v === "number" && Number.isInteger(v) ? BigInt(v) : toCel(v),
    );
  }
  const nodes = new Map<string, unknown>();
  for (const id of scope.nodeIds) {
    const n = Object.hasOwn(values.nodes, id) ? values.nodes[id] : undefined;
    nodes.set(
      id,
      new Map<string, unknown>([
        ["output", toCel(n?.output ?? null)],
        ["status", n?.status ?? "pending"],
        ["attempts", BigInt(n?.attempts ?? 0)],
        ["error", n?.error ?? ""],
      ]),
    );
  }
  const run = {
    ...values.run,
    version: BigInt(values.run.version),
    attempt: BigInt(values.run.attempt),
  };
  const context: Record<string, unknown> = { params, nodes, run };
  if (scope.mapped) {
    context.item = toCel(values.item ?? null);
    context.index = BigInt(values.index ?? 0);
  }
  for (const [name, id] of Object.entries(scope.outputs ?? {}))
    context[name] = toCel(
      (Object.hasOwn(values.nodes, id) ? values.nodes[id]?.output : undefined) ?? null,
    );
  return toJson(program(context));
}

/** JSON values as CEL reads them: every mapping a Map (see evaluateExpression). */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object" && !(value instanceof Map)) {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (value && typeof value === "object" && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** By prototype, not by the `constructor` property, which an own key of that name would hide. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
