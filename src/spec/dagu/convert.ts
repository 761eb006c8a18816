/**
 * A Dagu document turned into the native model (spec -> builder -> model, as Dagu itself does).
 * Findings are in the Dagu document's own paths; `origin` maps native paths back to them.
 */
import { buildGraph, findCycles } from "../../graph/index.js";
import { type Draft, error, type Path, pathString, warning } from "../findings.js";
import { isReservedName, reservedParam } from "../reserved.js";
import { uniqueSlug } from "../slug.js";
import { didYouMean } from "../suggest.js";
import { canonicalKey, DAG_KEYS, spellings, UNSUPPORTED_DAG_KEYS } from "./keys.js";
import { workflowNameFrom } from "./names.js";
import { planPreconditions } from "./preconditions.js";
import { checkSchedule } from "./schedule.js";
import { nativeField, stepNode } from "./step-node.js";
import { collectSteps, type RawStep, wireSteps } from "./steps.js";
import { namedValues, nodeRef } from "./values.js";

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

export { workflowNameFrom };

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
    if (isReservedName(p.name)) {
      drafts.push(reservedParam(p.name, p.path));
      continue;
    }
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

  // Dagu's schedule starts runs (its string, list and `start:` forms); `stop:` and `restart:`
  // (stopping and restarting long-running DAGs) are kept, not carried out.
  let schedule: unknown;
  if (dag.schedule !== undefined) {
    const s = checkSchedule(dag.schedule, at("schedule"), drafts);
    if (s && typeof s === "object" && !Array.isArray(s)) {
      const { start, ...rest } = s as Obj;
      if (start !== undefined) schedule = start;
      if (Object.keys(rest).length > 0) {
        metadata.schedule = rest;
        drafts.push(
          warning(
            "W_DAGU_UNSUPPORTED",
            at("schedule"),
            `schedule ${Object.keys(rest).join(" and ")} (stopping and restarting running DAGs) is not carried out by weft; it is kept under metadata.schedule`,
            { atKey: true },
          ),
        );
      }
    } else schedule = s;
  }
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
  if (schedule !== undefined) value.schedule = schedule;
  if (typeof dag.timeout_sec === "number") value.limits = { maxRunDuration: `${dag.timeout_sec}s` };
  if (Object.keys(metadata).length > 0) value.metadata = metadata;
  origins.set("name", dag.name === undefined ? [] : at("name"));
  origins.set("defaults.env", at("env"));
  origins.set("schedule", at("schedule"));
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
