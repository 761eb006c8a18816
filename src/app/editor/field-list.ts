/**
 * The inspector's rows for a node, an edge or the workflow: every field the kind has, how it is
 * edited (text, number, toggle, picker, CEL, list) and how a typed answer becomes a value.
 * UI-agnostic: the TUI draws these rows; tests read them as plain values.
 */
import {
  checkExpression,
  type Edge,
  HANDLER_ARGS,
  HANDLERS,
  type HandlerName,
  linePatternProblems,
  type Workflow,
  type WorkflowNode,
  workflowScope,
} from "../../spec/index.js";
import type { FieldPath } from "./fields.js";

export type FieldKind = "id" | "text" | "number" | "toggle" | "choice" | "cel" | "list" | "json";

export interface FieldRow {
  path: FieldPath;
  label: string;
  kind: FieldKind;
  value: unknown;
  /** The choices of a `choice` field. */
  choices?: readonly string[];
  /** A one-line hint shown while editing. */
  hint?: string;
}

const row = (
  path: FieldPath,
  label: string,
  kind: FieldKind,
  value: unknown,
  extra: Partial<FieldRow> = {},
): FieldRow => ({ path, label, kind, value, ...extra });

const DURATION = "a duration such as 30s, 5m, 1h30m";

/** The `with` arguments each handler takes, as rows; unknown extra keys are kept as JSON rows. */
function handlerArgRows(handler: HandlerName, args: Record<string, unknown>): FieldRow[] {
  const known = Object.keys((HANDLER_ARGS[handler] as { shape?: object }).shape ?? {});
  const names = [...known, ...Object.keys(args).filter((k) => !known.includes(k))];
  return names.map((name) => {
    const value = args[name];
    const path = ["with", name];
    if (name === "command" || name === "inheritEnv" || name === "expectStatus")
      return row(path, `with.${name}`, "list", value, {
        hint: "items separated by spaces; quote an item that has spaces",
      });
    if (name === "method")
      return row(path, `with.${name}`, "choice", value ?? "GET", {
        choices: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      });
    if (typeof value === "object" && value !== null)
      return row(path, `with.${name}`, "json", value);
    if (
      name === "env" ||
      name === "headers" ||
      name === "input" ||
      name === "body" ||
      name === "output"
    )
      return row(path, `with.${name}`, "json", value, { hint: 'JSON, e.g. {"KEY": "value"}' });
    if (typeof value === "boolean") return row(path, `with.${name}`, "toggle", value);
    if (typeof value === "number") return row(path, `with.${name}`, "number", value);
    return row(path, `with.${name}`, "text", value);
  });
}

function retryRows(retries: Record<string, unknown> | undefined): FieldRow[] {
  const r = retries;
  return [
    row(["retries", "max"], "retries.max", "number", r?.max, {
      hint: "attempts after the first; empty removes retries",
    }),
    row(["retries", "backoff"], "retries.backoff", "choice", r?.backoff ?? "fixed", {
      choices: ["fixed", "exponential"],
    }),
    row(["retries", "initial"], "retries.initial", "text", r?.initial, { hint: DURATION }),
    row(["retries", "factor"], "retries.factor", "number", r?.factor),
    row(["retries", "maxDelay"], "retries.maxDelay", "text", r?.maxDelay, { hint: DURATION }),
    row(["retries", "jitter"], "retries.jitter", "toggle", r?.jitter ?? false),
    row(["retries", "nonRetryable"], "retries.nonRetryable", "list", r?.nonRetryable, {
      hint: "exit codes, statuses or error codes",
    }),
    row(["retries", "abortOn"], "retries.abortOn", "list", r?.abortOn, {
      hint: "codes that abort the whole run (no retry; compensations run)",
    }),
  ];
}

export function nodeRows(node: WorkflowNode): FieldRow[] {
  const rows: FieldRow[] = [
    row(["id"], "id", "id", node.id, { hint: "renaming moves every edge and reference along" }),
    row(["kind"], "kind", "id", node.kind),
    row(["name"], "name", "text", node.name),
    row(["description"], "description", "text", node.description),
  ];
  switch (node.kind) {
    case "task":
    case "compensation":
      rows.push(
        row(["handler"], "handler", "choice", node.handler, { choices: HANDLERS }),
        ...handlerArgRows(node.handler, node.with),
        row(["timeout"], "timeout", "text", node.timeout, { hint: DURATION }),
        ...retryRows(node.retries),
      );
      if (node.kind === "task")
        rows.push(
          row(["continueOnFailure"], "continueOnFailure", "toggle", node.continueOnFailure),
          row(["continueOn", "codes"], "continueOn.codes", "list", node.continueOn?.codes, {
            hint: "go on past a failure with one of these codes",
          }),
          row(["continueOn", "output"], "continueOn.output", "list", node.continueOn?.output, {
            hint: "…or a stdout line with this text (re: for a regex)",
          }),
          row(
            ["continueOn", "markSuccess"],
            "continueOn.markSuccess",
            "toggle",
            node.continueOn?.markSuccess ?? false,
            { hint: "count such a failure as a success" },
          ),
          row(["compensation"], "compensation", "text", node.compensation, {
            hint: "id of the compensation node that undoes this task",
          }),
          row(["output"], "output", "text", node.output),
          row(["map", "over"], "map.over", "cel", node.map?.over, {
            hint: "CEL list to fan out over",
          }),
          row(["cache", "scope"], "cache.scope", "choice", node.cache?.scope ?? "", {
            choices: ["", "run", "global"],
          }),
          row(["concurrency"], "concurrency", "number", node.concurrency, {
            hint: "at most this many at once across all runs",
          }),
        );
      else rows.push(row(["compensates"], "compensates", "text", node.compensates));
      break;
    case "decision":
      rows.push(
        row(["condition"], "condition", "cel", node.condition, {
          hint: "CEL, true or false: picks the true or false edge",
        }),
      );
      break;
    case "delay":
      rows.push(
        row(["duration"], "duration", "text", node.duration, { hint: DURATION }),
        row(["until"], "until", "text", node.until, { hint: "an ISO time, or ${...} of one" }),
        row(["cron"], "cron", "text", node.cron, {
          hint: "wait for the next cron time, e.g. 0 2 * * *",
        }),
      );
      break;
    case "subworkflow":
      rows.push(
        row(["workflow"], "workflow", "text", node.workflow, { hint: "name or name@version" }),
        row(["params"], "params", "json", node.params, {
          hint: "JSON object of the child's parameters",
        }),
        row(["timeout"], "timeout", "text", node.timeout, { hint: DURATION }),
        row(["output"], "output", "text", node.output),
        row(["continueOnFailure"], "continueOnFailure", "toggle", node.continueOnFailure),
      );
      break;
    default:
      break;
  }
  rows.push(
    row(["queue"], "queue", "text", node.queue),
    row(["priority"], "priority", "number", node.priority),
  );
  return rows;
}

export function edgeRows(edge: Edge, from: WorkflowNode | undefined): FieldRow[] {
  const rows: FieldRow[] = [
    row(["from"], "from", "id", edge.from),
    row(["to"], "to", "id", edge.to),
  ];
  if (from?.kind === "decision")
    rows.push(
      row(["condition"], "branch", "choice", String(edge.condition ?? ""), {
        choices: ["true", "false"],
      }),
    );
  else if (from?.kind === "exclusive")
    rows.push(
      row(["condition"], "condition", "cel", edge.condition, {
        hint: "CEL; the first edge whose condition holds is taken",
      }),
      row(["default"], "default", "toggle", edge.default),
    );
  rows.push(row(["label"], "label", "text", edge.label));
  return rows;
}

export function workflowRows(wf: Workflow): FieldRow[] {
  return [
    row(["name"], "name", "text", wf.name),
    row(["description"], "description", "text", wf.description),
    row(["parameters"], "parameters", "json", wf.parameters, {
      hint: 'JSON, e.g. {"env": {"type": "enum", "enum": ["dev","prod"]}}',
    }),
    row(["defaults"], "defaults", "json", wf.defaults),
    row(["limits"], "limits", "json", wf.limits),
  ];
}

/** How a value shows in the inspector's one line. */
export function displayValue(field: FieldRow): string {
  const v = field.value;
  if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) return "—";
  if (field.kind === "list" && Array.isArray(v))
    return v.map((x) => quoteItem(String(x))).join(" ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** The text the editor starts from. */
export function editText(field: FieldRow): string {
  const v = field.value;
  if (v === undefined || v === null) return "";
  if (field.kind === "list" && Array.isArray(v))
    return v.map((x) => quoteItem(String(x))).join(" ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const quoteItem = (s: string) =>
  /[\s"]/.test(s) || s === "" ? `"${s.replace(/["\\]/g, "\\$&")}"` : s;

/** Inside quotes `\"` and `\\` stand for themselves; any other backslash stays (a regex's `\d`). */
const unquote = (quoted: string) => quoted.replace(/\\(["\\])/g, "$1");

/** Space-separated items; "double quoted" items may hold spaces. */
export function splitItems(text: string): string[] | string {
  const items: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]\S*))/gy;
  let end = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].trim() === "") break;
    items.push(match[1] !== undefined ? unquote(match[1]) : match[2]!);
    end = pattern.lastIndex;
  }
  if (text.slice(end).trim() !== "") return `unclosed quote at column ${end + 1}`;
  return items;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/** A typed answer as the field's value: empty removes an optional field. */
export function parseFieldText(field: FieldRow, text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  switch (field.kind) {
    case "number": {
      const n = Number(trimmed);
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, reason: `\`${trimmed}\` is not a number` };
    }
    case "list": {
      const items = splitItems(text);
      if (typeof items === "string") return { ok: false, reason: items };
      const problem = field.label === "continueOn.output" && linePatternProblems(items)[0];
      if (problem) return { ok: false, reason: problem.message };
      const numeric = ["expectStatus", "nonRetryable", "abortOn", "codes"].includes(
        String(field.path.at(-1)),
      );
      return {
        ok: true,
        value: numeric ? items.map((i) => (/^\d+$/.test(i) ? Number(i) : i)) : items,
      };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(trimmed) };
      } catch (cause) {
        return { ok: false, reason: `not JSON: ${(cause as Error).message}` };
      }
    case "choice":
      if (field.path.at(-1) === "condition") return { ok: true, value: trimmed === "true" };
      return { ok: true, value: trimmed };
    default:
      return { ok: true, value: text };
  }
}

/** A CEL field checked as it is typed: the reason and the column, or nothing when fine. */
export function checkCelText(
  wf: Workflow,
  text: string,
): { message: string; column: number } | undefined {
  if (text.trim() === "") return undefined;
  const result = checkExpression(text, { ...workflowScope(wf), mapped: true });
  return result.ok ? undefined : { message: result.message, column: result.offset + 1 };
}
