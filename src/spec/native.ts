/** Native documents (`nodes:` + `edges:`) checked against the zod schema, issues made findings. */
import type { z } from "zod";
import { type Draft, error, type Path, valueAt } from "./findings.js";
import {
  CacheSchema,
  DefaultsSchema,
  KNOWN_KEYS,
  LimitsSchema,
  MapSchema,
  NODE_KINDS,
  type NodeKind,
  RetriesSchema,
  type Workflow,
  WorkflowSchema,
} from "./model.js";
import { didYouMean } from "./suggest.js";

/** Keys people bring from other tools, and what weft calls them. */
const FAMILIAR_KEYS: Record<string, string> = {
  type: "kind",
  source: "from",
  target: "to",
  depends: "an entry in `edges:`",
  retry: "retries",
  timeout_seconds: "timeout",
  params: "parameters",
  args: "with",
  inputs: "with",
};

export type NativeResult = { ok: true; workflow: Workflow } | { ok: false; drafts: Draft[] };

export function parseNative(value: unknown): NativeResult {
  const parsed = WorkflowSchema.safeParse(value);
  if (parsed.success) return { ok: true, workflow: parsed.data };
  return { ok: false, drafts: parsed.error.issues.flatMap((issue) => issueToDrafts(issue, value)) };
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string")
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const nodeIdAt = (root: unknown, path: Path): string | undefined => {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return undefined;
  const id = valueAt(root, ["nodes", path[1], "id"]);
  return typeof id === "string" ? id : undefined;
};

function knownKeysAt(root: unknown, path: Path): string[] {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (path.length === 0) return KNOWN_KEYS.workflow;
  if (path.length === 2 && path[0] === "nodes") {
    const kind = valueAt(root, [...path, "kind"]);
    return KNOWN_KEYS.node[
      (NODE_KINDS as readonly string[]).includes(kind as string) ? (kind as NodeKind) : "task"
    ];
  }
  if (path.length === 2 && path[0] === "edges") return KNOWN_KEYS.edge;
  if (path.length === 2 && path[0] === "parameters") return KNOWN_KEYS.parameter;
  if (last === "retries") return Object.keys(RetriesSchema.shape);
  if (last === "cache") return Object.keys(CacheSchema.shape);
  if (last === "map") return Object.keys(MapSchema.shape);
  if (last === "defaults" && path.length === 1) return Object.keys(DefaultsSchema.shape);
  if (last === "limits" && path.length === 1) return Object.keys(LimitsSchema.shape);
  return parent === undefined ? [] : [];
}

function where(path: Path): string {
  if (path.length === 0) return "the workflow";
  if (path[0] === "nodes" && path.length === 2) return "this node";
  if (path[0] === "edges" && path.length === 2) return "this edge";
  return `\`${path.join(".")}\``;
}

function issueToDrafts(issue: z.core.$ZodIssue, root: unknown): Draft[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const nodeId = nodeIdAt(root, path);
  const more = nodeId ? { nodeId } : {};
  const field = path.at(-1);
  const actual = valueAt(root, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(root, path);
      return issue.keys.map((key) =>
        error("E_UNKNOWN_KEY", [...path, key], `unknown key \`${key}\` in ${where(path)}`, {
          ...more,
          atKey: true,
          hint:
            (FAMILIAR_KEYS[key] && `weft calls this \`${FAMILIAR_KEYS[key]}\``) ??
            didYouMean(key, known) ??
            `known keys: ${known.join(", ")}`,
        }),
      );
    }
    case "invalid_union": {
      const nodePath = field === "kind" ? path.slice(0, -1) : path;
      if (nodePath[0] === "nodes" && nodePath.length === 2) {
        const kind = valueAt(root, [...nodePath, "kind"]);
        if (kind === undefined) {
          return [
            error("E_MISSING_FIELD", nodePath, "this node has no `kind`", {
              ...more,
              hint: `add \`kind:\` with one of ${NODE_KINDS.join(", ")}`,
            }),
          ];
        }
        return [
          error(
            "E_UNKNOWN_KIND",
            [...nodePath, "kind"],
            `unknown node kind ${describeValue(kind)}`,
            {
              ...more,
              hint: didYouMean(String(kind), NODE_KINDS) ?? `use one of ${NODE_KINDS.join(", ")}`,
            },
          ),
        ];
      }
      return [
        error("E_SCHEMA", path, `${where(path)} has the wrong shape: ${issue.message}`, more),
      ];
    }
    case "invalid_type": {
      if (actual === undefined && issue.expected !== "undefined") {
        return [
          error("E_MISSING_FIELD", path, `\`${String(field)}\` is required`, {
            ...more,
            path: path.slice(0, -1),
            hint: `add \`${String(field)}:\` (${issue.expected})`,
          }),
        ];
      }
      return [
        error(
          "E_TYPE",
          path,
          `${label(path)} must be ${article(issue.expected)}, not ${describeValue(actual)}`,
          {
            ...more,
            hint: issue.expected === "object" ? "write a mapping of `key: value` lines" : undefined,
          },
        ),
      ];
    }
    case "invalid_value":
      return [
        error("E_VALUE", path, `${label(path)} is ${describeValue(actual)}`, {
          ...more,
          hint: `use one of ${issue.values.map((v) => String(v)).join(", ")}${suggestion(actual, issue.values)}`,
        }),
      ];
    case "too_small":
      return [
        error(
          "E_RANGE",
          path,
          `${label(path)} is ${describeValue(actual)}; it must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}`,
          more,
        ),
      ];
    case "too_big":
      return [
        error(
          "E_RANGE",
          path,
          `${label(path)} is ${describeValue(actual)}; it must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`,
          more,
        ),
      ];
    default:
      return [error("E_SCHEMA", path, `${where(path)}: ${issue.message}`, more)];
  }
}

function suggestion(actual: unknown, values: readonly unknown[]): string {
  if (typeof actual !== "string") return "";
  const hint = didYouMean(actual, values.map(String));
  return hint ? ` (${hint})` : "";
}

/** `handler`, `item 3 of nodes`, or `the document`. */
function label(path: Path): string {
  const field = path.at(-1);
  if (field === undefined) return "the document";
  if (typeof field === "number") return `item ${field} of \`${path.slice(0, -1).join(".")}\``;
  return `\`${field}\``;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    boolean: "true or false",
    record: "a mapping",
  };
  return names[type] ?? `a ${type}`;
}
