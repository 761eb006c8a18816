/**
 * A Dagu document turned into the native model (spec -> builder -> model, as Dagu itself does).
 * Findings are in the Dagu document's own paths; `origin` maps native paths back to them.
 */
import { buildGraph, findCycles } from "../../graph/index.js";
import { checkCron } from "../cron.js";
import { type Draft, error, type Path, pathString, warning } from "../findings.js";
import { WORKFLOW_NAME } from "../model.js";
import { uniqueSlug } from "../slug.js";
import { didYouMean } from "../suggest.js";
import {
  CONTINUE_KEYS,
  canonicalKey,
  DAG_KEYS,
  EXECUTOR_KEYS,
  RETRY_KEYS,
  STEP_KEYS,
  spellings,
  UNSUPPORTED_DAG_KEYS,
  UNSUPPORTED_STEP_KEYS,
} from "./keys.js";
import { planPreconditions } from "./preconditions.js";
import { collectSteps, type RawStep, wireSteps } from "./steps.js";
import { namedValues, nodeRef, rewriteVariables, type VariableScope } from "./values.js";

export type Origin = (nativePath: Path) => Path;

export interface DaguContext {
  /** The file name without extension: the first document's name when it has none. */
  fileStem: string;
  isFirst: boolean;
  documentIndex: number;
}

export interface Converted {
  name?: string;
  value: Record<string, unknown>;
  origin: Origin;
  drafts: Draft[];
}

type Obj = Record<string, unknown>;

/** A document is Dagu's when it has `steps:` or top-level keys only Dagu uses. */
export function looksLikeDagu(doc: Obj): boolean {
  if ("nodes" in doc || "edges" in doc) return false;
  return Object.keys(doc).some((k) => {
    const key = canonicalKey(k);
    return (
      key !== "name" && key !== "description" && (DAG_KEYS.has(key) || key in UNSUPPORTED_DAG_KEYS)
    );
  });
}

/** Dagu names allow capitals; weft's are lower case. */
export const workflowNameFrom = (name: string): string =>
  WORKFLOW_NAME.test(name)
    ? name
    : name
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, "-")
        .replace(/^[^a-z0-9]+/, "") || "workflow";

export function convertDagu(doc: Obj, ctx: DaguContext): Converted {
  const drafts: Draft[] = [];
  const origins = new Map<string, Path>();
  const dag: Obj = {};
  const written: Record<string, string> = {};
  const kept: Obj = {};
  const metadata: Obj = {};

  for (const [key, value] of Object.entries(doc)) {
    const k = canonicalKey(key);
    if (DAG_KEYS.has(k)) {
      dag[k] = value;
      written[k] = key;
    } else if (k in UNSUPPORTED_DAG_KEYS) {
      kept[key] = value;
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          [key],
          `\`${key}\` (${UNSUPPORTED_DAG_KEYS[k]}) is not carried out by weft; it is kept under metadata.dagu`,
          { atKey: true },
        ),
      );
    } else {
      drafts.push(
        error("E_UNKNOWN_KEY", [key], `unknown key \`${key}\``, {
          atKey: true,
          hint:
            didYouMean(key, spellings([...DAG_KEYS, ...Object.keys(UNSUPPORTED_DAG_KEYS)])) ??
            "neither weft nor Dagu knows this key",
        }),
      );
    }
  }
  const at = (k: string): Path => [written[k] ?? k];

  // Name: the first document may take the file's name; the others need their own (Dagu's rule).
  let name: string | undefined;
  if (typeof dag.name === "string" && dag.name !== "") name = dag.name;
  else if (dag.name !== undefined)
    drafts.push(error("E_TYPE", at("name"), "`name` must be a string"));
  else if (ctx.isFirst) name = ctx.fileStem;
  else
    drafts.push(
      error("E_DAGU_NAME_REQUIRED", [], "every workflow after the first in a file needs a `name`", {
        hint: "add `name:` to this document",
      }),
    );
  const weftName = name === undefined ? undefined : workflowNameFrom(name);
  if (name !== undefined && weftName !== name && dag.name !== undefined) {
    drafts.push(
      warning(
        "W_DAGU_RENAMED",
        dag.name === undefined ? [] : at("name"),
        `workflow \`${name}\` is named \`${weftName}\` in weft (names are lower case)`,
        {},
      ),
    );
  }

  // Type: explicit, else Dagu's default for the file's era (chain in the camelCase era, graph now).
  let chain = false;
  if (dag.type !== undefined) {
    if (dag.type === "chain") chain = true;
    else if (dag.type === "agent")
      drafts.push(
        error("E_DAGU_TYPE", at("type"), "`type: agent` is reserved by Dagu and not supported", {
          hint: "use `graph` or `chain`",
        }),
      );
    else if (dag.type !== "graph")
      drafts.push(
        error("E_DAGU_TYPE", at("type"), `unknown type ${JSON.stringify(dag.type)}`, {
          hint:
            didYouMean(String(dag.type), ["graph", "chain"]) ??
            "use `graph` (steps follow `depends`) or `chain` (each step follows the one before)",
        }),
      );
  } else chain = !usesSnakeCaseEra(doc);

  const scope: { params: Set<string>; outputs: Map<string, string> } = {
    params: new Set(),
    outputs: new Map(),
  };
  const parameters: Obj = {};
  for (const p of namedValues(dag.params, at("params"), drafts, "param")) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name)) {
      drafts.push(
        error("E_BAD_PARAMETER", p.path, `param \`${p.name}\` is not a valid name`, {
          hint: "param names are identifiers (letters, digits, `_`)",
        }),
      );
      continue;
    }
    scope.params.add(p.name);
    parameters[p.name] =
      p.value === undefined
        ? { type: "string", required: true }
        : { type: "string", default: p.value };
    origins.set(pathString(["parameters", p.name]), p.path);
  }
  const env: Record<string, string> = {};
  for (const e of namedValues(dag.env, at("env"), drafts, "env")) env[e.name] = e.value ?? "";

  if (dag.schedule !== undefined)
    metadata.schedule = checkSchedule(dag.schedule, at("schedule"), drafts);
  for (const k of ["tags", "labels", "group"]) if (dag[k] !== undefined) metadata[k] = dag[k];
  if (Object.keys(kept).length > 0) metadata.dagu = kept;

  const { steps, listForm } = collectSteps(dag.steps, at("steps"), drafts);
  wireSteps(steps, chain && listForm, drafts);
  if (chain && listForm && dag.type === undefined && stepsHaveCycle(steps)) {
    drafts.push(
      warning(
        "W_DAGU_IMPLICIT_CHAIN",
        at("steps"),
        "this file has no `type:`, so Dagu's default `chain` applies: a step without `depends` follows the step listed before it, and here that closes a cycle",
        {
          hint: "add `type: graph` if steps without `depends` should start at once, or give those steps `depends` (`depends: []` for none)",
        },
      ),
    );
  }

  // Node ids: the step's id or name, made a valid id; then outputs are known for `${VAR}`.
  const taken = new Set<string>();
  const ids = steps.map((s) => {
    const wanted = s.id ?? s.name;
    const id =
      /^[a-z0-9][a-z0-9_-]*$/.test(wanted) && !taken.has(wanted)
        ? wanted
        : uniqueSlug(wanted, taken);
    taken.add(id);
    return id;
  });
  steps.forEach((s, i) => {
    const output = s.fields.output;
    if (typeof output === "string") scope.outputs.set(output.replace(/^\$/, ""), ids[i]!);
  });

  const nodes: Obj[] = [];
  const edges: Obj[] = [];
  const addNode = (node: Obj, source: Path) => {
    origins.set(pathString(["nodes", nodes.length]), source);
    nodes.push(node);
  };
  const addEdge = (edge: Obj, source: Path) => {
    origins.set(pathString(["edges", edges.length]), source);
    edges.push(edge);
  };
  const defaultsFromDag = { cwd: dag.working_dir, shell: dag.shell };
  /** Where each step's incoming edges land: its check tasks, its decision, or the step itself. */
  const entryOf = new Map<number, string[]>();
  steps.forEach((step, i) => {
    const id = ids[i]!;
    entryOf.set(i, [id]);
    if (step.fields.preconditions !== undefined) {
      // The guard comes first, in reading order as in running order.
      const pre = planPreconditions(
        step.fields.preconditions,
        [...step.path, step.written.preconditions ?? "preconditions"],
        scope,
        drafts,
      );
      const entry = addGuard(id, pre, taken, addNode, addEdge, step.path);
      entryOf.set(i, entry.entries);
      const continueOn = step.fields.continue_on;
      if (
        continueOn === "skipped" ||
        (continueOn && typeof continueOn === "object" && (continueOn as Obj).skipped === true)
      ) {
        steps.forEach((other, j) => {
          if (other.depends.includes(i))
            addEdge({ from: entry.decision, to: ids[j], condition: false }, step.path);
        });
      }
    }
    const node = stepNode(step, id, scope, defaultsFromDag, drafts, metadata);
    const nodeIndex = nodes.length;
    addNode(node, step.path);
    for (const [field, source] of Object.entries(step.written))
      origins.set(pathString(["nodes", nodeIndex, nativeField(field)]), [...step.path, source]);
  });
  steps.forEach((step, i) => {
    step.depends.forEach((d, j) => {
      const source =
        step.explicitDepends && j < step.explicitDepends.names.length
          ? [...step.explicitDepends.path, j]
          : step.path;
      for (const target of entryOf.get(i)!) addEdge({ from: ids[d], to: target }, source);
    });
  });
  if (dag.preconditions !== undefined && steps.length > 0) {
    const roots = nodes.filter((n) => !edges.some((e) => e.to === n.id)).map((n) => String(n.id));
    const pre = planPreconditions(dag.preconditions, at("preconditions"), scope, drafts);
    const guard = addGuard(
      "preconditions",
      pre,
      taken,
      addNode,
      addEdge,
      at("preconditions"),
      true,
    );
    for (const root of roots)
      addEdge({ from: guard.decision, to: root, condition: true }, at("preconditions"));
  }

  // An unnamed later document was reported above; a stand-in name lets the rest be checked.
  const value: Obj = { name: weftName ?? `document-${ctx.documentIndex + 1}`, nodes, edges };
  if (typeof dag.description === "string") value.description = dag.description;
  if (Object.keys(parameters).length > 0) value.parameters = parameters;
  if (Object.keys(env).length > 0) value.defaults = { env };
  if (typeof dag.timeout_sec === "number") value.limits = { maxRunDuration: `${dag.timeout_sec}s` };
  if (Object.keys(metadata).length > 0) value.metadata = metadata;
  origins.set("name", dag.name === undefined ? [] : at("name"));
  origins.set("defaults.env", at("env"));
  origins.set("limits", at("timeout_sec"));
  origins.set("metadata", []);
  return { ...(weftName ? { name: weftName } : {}), value, origin: originFrom(origins), drafts };
}

/** A guard (decision, with its check tasks) placed in front of node `id`. */
function addGuard(
  id: string,
  plan: ReturnType<typeof planPreconditions>,
  taken: Set<string>,
  addNode: (n: Obj, p: Path) => void,
  addEdge: (e: Obj, p: Path) => void,
  source: Path,
  standalone = false,
): { entries: string[]; decision: string } {
  const decision = uniqueSlug(`${id}-precondition`, taken);
  taken.add(decision);
  const checkIds = plan.checks.map((check) => {
    const checkId = uniqueSlug(`${id}-check`, taken);
    taken.add(checkId);
    addNode(
      {
        id: checkId,
        kind: "task",
        handler: "shell",
        with: { command: check.command, shell: true },
        continueOnFailure: true,
        description: "precondition check imported from Dagu",
      },
      check.path,
    );
    addEdge({ from: checkId, to: decision }, check.path);
    return checkId;
  });
  let condition = plan.terms.join(" && ") || "true";
  checkIds.forEach((checkId, i) => {
    condition = condition.replaceAll(`$CHECK${i}`, nodeRef(checkId));
  });
  addNode(
    { id: decision, kind: "decision", condition, description: "precondition imported from Dagu" },
    source,
  );
  if (!standalone) addEdge({ from: decision, to: id, condition: true }, source);
  return { entries: checkIds.length > 0 ? checkIds : [decision], decision };
}

const FIELD_NAMES: Record<string, string> = {
  command: "with",
  script: "with",
  working_dir: "with",
  env: "with",
  shell: "with",
  retry_policy: "retries",
  continue_on: "continueOnFailure",
  timeout_sec: "timeout",
  call: "workflow",
  run: "workflow",
  name: "id",
};
const nativeField = (field: string) => FIELD_NAMES[field] ?? field;

function stepNode(
  step: RawStep,
  id: string,
  scope: VariableScope,
  dagDefaults: { cwd: unknown; shell: unknown },
  drafts: Draft[],
  metadata: Obj,
): Obj {
  const f = step.fields;
  const at = (k: string): Path => [...step.path, step.written[k] ?? k];
  const keptHere: Obj = {};
  for (const key of Object.keys(f)) {
    if (STEP_KEYS.has(key)) continue;
    if (key in UNSUPPORTED_STEP_KEYS) {
      keptHere[step.written[key] ?? key] = f[key];
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          at(key),
          `step \`${step.name}\`: \`${step.written[key]}\` (${UNSUPPORTED_STEP_KEYS[key]}) is not carried out by weft; it is kept under metadata.dagu.steps`,
          { atKey: true },
        ),
      );
    } else {
      drafts.push(
        error("E_UNKNOWN_KEY", at(key), `unknown step key \`${step.written[key]}\``, {
          atKey: true,
          hint:
            didYouMean(
              step.written[key] ?? key,
              spellings([...STEP_KEYS, ...Object.keys(UNSUPPORTED_STEP_KEYS)]),
            ) ?? "neither weft nor Dagu knows this key",
        }),
      );
    }
  }
  if (Object.keys(keptHere).length > 0) {
    const dagu = (metadata.dagu ?? {}) as Obj;
    const stepsKept = (dagu.steps ?? {}) as Obj;
    stepsKept[step.name] = keptHere;
    dagu.steps = stepsKept;
    metadata.dagu = dagu;
  }
  const node: Obj = { id };
  if (step.name !== id) node.name = step.name;
  if (typeof f.description === "string") node.description = f.description;
  const subworkflow =
    typeof f.call === "string"
      ? f.call
      : typeof f.run === "string" && !/\s/.test(f.run.trim())
        ? f.run.trim()
        : undefined;
  const command = f.command ?? (subworkflow === undefined ? f.run : undefined);
  if (subworkflow !== undefined) {
    Object.assign(node, { kind: "subworkflow", workflow: workflowNameFrom(subworkflow) });
    const params: Obj = {};
    for (const p of namedValues(f.params, at("params"), drafts, "param"))
      params[p.name] = rewriteVariables(p.value ?? "", scope);
    if (Object.keys(params).length > 0) node.params = params;
    if (command !== undefined || f.script !== undefined)
      drafts.push(
        error(
          "E_DAGU_STEP",
          at("command"),
          `step \`${step.name}\` both calls a workflow and runs a command`,
          { hint: "split it into two steps" },
        ),
      );
  } else if (command !== undefined || f.script !== undefined) {
    Object.assign(node, {
      kind: "task",
      handler: "shell",
      with: shellArgs(f, command, scope, dagDefaults, at, drafts),
    });
    if (f.params !== undefined)
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          at("params"),
          `step \`${step.name}\`: \`params\` only applies to a step that calls a workflow; ignored`,
          { atKey: true },
        ),
      );
  } else if (EXECUTOR_KEYS.some((k) => f[k] !== undefined)) {
    const what = EXECUTOR_KEYS.find((k) => f[k] !== undefined)!;
    Object.assign(node, {
      kind: "task",
      handler: "fail",
      with: {
        message: `imported from Dagu: its ${what} \`${JSON.stringify(f[what]).slice(0, 60)}\` is not supported by weft`,
      },
    });
  } else {
    drafts.push(
      error("E_DAGU_NOTHING_TO_RUN", step.path, `step \`${step.name}\` has nothing to run`, {
        hint: "add `command:`, `script:` or `call:` (a workflow to run)",
      }),
    );
    Object.assign(node, { kind: "task", handler: "noop" });
  }
  if (typeof f.output === "string" && f.output !== "") node.output = f.output.replace(/^\$/, "");
  if (typeof f.timeout_sec === "number" && node.kind !== "decision")
    node.timeout = `${f.timeout_sec}s`;
  if (node.kind === "task" && f.retry_policy !== undefined) {
    const retries = retryPolicy(f.retry_policy, at("retry_policy"), drafts);
    if (retries) node.retries = retries;
  }
  if (f.continue_on !== undefined && continueOnFailure(f.continue_on, at("continue_on"), drafts))
    node.continueOnFailure = true;
  return node;
}

function shellArgs(
  f: Obj,
  command: unknown,
  scope: VariableScope,
  dag: { cwd: unknown; shell: unknown },
  at: (k: string) => Path,
  drafts: Draft[],
): Obj {
  const args: Obj = {};
  if (typeof command === "string") {
    if (command.trim() === "")
      drafts.push(error("E_DAGU_NOTHING_TO_RUN", at("command"), "the command is empty"));
    if (command.includes("\n") && f.script === undefined)
      args.script = rewriteVariables(command, scope);
    else args.command = rewriteVariables(command, scope);
    args.shell = true;
  } else if (Array.isArray(command)) {
    args.command = command.map((c) => rewriteVariables(String(c), scope));
  } else if (command !== undefined)
    drafts.push(error("E_TYPE", at("command"), "`command` must be a string or a list"));
  if (typeof f.script === "string") {
    args.script = rewriteVariables(f.script, scope);
    args.shell = true;
  }
  const shell = f.shell ?? dag.shell;
  if (typeof shell === "string" && shell !== "") args.shell = shell;
  else if (Array.isArray(shell)) args.shell = shell.map(String).join(" ");
  const cwd = f.working_dir ?? dag.cwd;
  if (typeof cwd === "string") args.cwd = cwd;
  if (f.env !== undefined) {
    const env: Record<string, string> = {};
    for (const e of namedValues(f.env, at("env"), drafts, "env"))
      env[e.name] = rewriteVariables(e.value ?? "", scope);
    args.env = env;
  }
  return args;
}

function retryPolicy(value: unknown, path: Path, drafts: Draft[]): Obj | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    drafts.push(
      error("E_TYPE", path, "`retryPolicy` must be a mapping with `limit` and `intervalSec`"),
    );
    return undefined;
  }
  const r: Obj = {};
  for (const [key, v] of Object.entries(value)) r[canonicalKey(key)] = v;
  for (const [key] of Object.entries(value)) {
    const k = canonicalKey(key);
    if (!RETRY_KEYS.has(k))
      drafts.push(
        error("E_UNKNOWN_KEY", [...path, key], `unknown key \`${key}\` in a retry policy`, {
          atKey: true,
          hint:
            didYouMean(key, spellings(RETRY_KEYS)) ??
            "retry policies take limit, intervalSec, backoff, maxIntervalSec",
        }),
      );
    if (k === "exit_code")
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          [...path, key],
          "`exitCode` (retry only on these exit codes) is not carried out by weft; every failure is retried",
          { atKey: true },
        ),
      );
  }
  const limit = Number(r.limit);
  if (!Number.isInteger(limit) || limit < 0) {
    drafts.push(
      error("E_DAGU_RETRY", path, "a retry policy needs `limit`, a whole number of retries"),
    );
    return undefined;
  }
  const out: Obj = { max: limit };
  if (r.interval_sec !== undefined) out.initial = `${Number(r.interval_sec)}s`;
  if (r.backoff !== undefined && r.backoff !== false) {
    out.backoff = "exponential";
    const factor = r.backoff === true ? 2 : Number(r.backoff);
    if (!(factor > 1))
      drafts.push(
        error(
          "E_DAGU_RETRY",
          [...path, "backoff"],
          "`backoff` must be greater than 1 (the growth factor)",
        ),
      );
    else out.factor = factor;
  }
  if (r.max_interval_sec !== undefined) out.maxDelay = `${Number(r.max_interval_sec)}s`;
  return out;
}

function continueOnFailure(value: unknown, path: Path, drafts: Draft[]): boolean {
  if (value === "failed" || value === "failure") return true;
  if (value === "skipped") return false;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    drafts.push(error("E_TYPE", path, "`continueOn` must be a mapping such as `{failure: true}`"));
    return false;
  }
  let failure = false;
  for (const [key, v] of Object.entries(value)) {
    const k = canonicalKey(key);
    if (!CONTINUE_KEYS.has(k))
      drafts.push(
        error("E_UNKNOWN_KEY", [...path, key], `unknown key \`${key}\` in continueOn`, {
          atKey: true,
          hint:
            didYouMean(key, spellings(CONTINUE_KEYS)) ??
            "continueOn takes failure, skipped, exitCode, output, markSuccess",
        }),
      );
    else if (k === "failure") failure = v === true;
    else if (k !== "skipped")
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          [...path, key],
          `continueOn \`${key}\` is not carried out by weft`,
          { atKey: true },
        ),
      );
  }
  return failure;
}

function checkSchedule(value: unknown, path: Path, drafts: Draft[]): unknown {
  const check = (expr: unknown, at: Path) => {
    if (typeof expr !== "string")
      drafts.push(error("E_CRON", at, "a schedule is a cron expression string"));
    else {
      const problem = checkCron(expr);
      if (problem)
        drafts.push(
          error("E_CRON", at, problem, {
            hint: "minute hour day-of-month month day-of-week, e.g. `0 2 * * *` for 02:00 daily",
          }),
        );
    }
  };
  if (Array.isArray(value))
    value.forEach((v, i) => {
      check(v, [...path, i]);
    });
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!["start", "stop", "restart"].includes(k))
        drafts.push(
          error("E_UNKNOWN_KEY", [...path, k], `unknown schedule key \`${k}\``, {
            atKey: true,
            hint: "a schedule mapping has start, stop and restart",
          }),
        );
      else if (Array.isArray(v))
        v.forEach((e, i) => {
          check(e, [...path, k, i]);
        });
      else check(v, [...path, k]);
    }
  } else check(value, path);
  return value;
}

/**
 * Dagu's default `type` was `chain` until May 2026 and is `graph` since, when Dagu also moved to
 * snake_case keys and to `run:` as a shell command. A file in that newer style (`retry_policy`,
 * `run: echo hi`) gets `graph`; every other file gets `chain`, the default it was written for.
 */
function usesSnakeCaseEra(doc: Obj): boolean {
  const snake = (o: unknown) =>
    o !== null &&
    typeof o === "object" &&
    !Array.isArray(o) &&
    Object.keys(o).some((k) => /^[a-z]+(_[a-z]+)+$/.test(k));
  if (snake(doc)) return true;
  const steps = doc.steps;
  const list = Array.isArray(steps)
    ? steps.flat()
    : steps && typeof steps === "object"
      ? Object.values(steps)
      : [];
  return list.some(
    (s) =>
      snake(s) ||
      (s &&
        typeof s === "object" &&
        (typeof (s as Obj).action === "string" ||
          (typeof (s as Obj).run === "string" && /\s/.test(((s as Obj).run as string).trim())))),
  );
}

function stepsHaveCycle(steps: RawStep[]): boolean {
  const graph = buildGraph(
    steps.map((_, i) => String(i)),
    steps.flatMap((s, i) => s.depends.map((d) => ({ from: String(d), to: String(i) }))),
  );
  return findCycles(graph).length > 0;
}

/** Native path -> Dagu path: the longest registered prefix (the rest has no twin in the source). */
function originFrom(origins: Map<string, Path>): Origin {
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const found = origins.get(pathString(path.slice(0, n)));
      if (found) return found;
    }
    return [];
  };
}
