/**
 * Dagu preconditions become a decision in front of the step. A condition comparing a parameter
 * or an earlier output becomes CEL; a condition that is a shell command (Dagu runs it and reads
 * its exit code or output) becomes a check task the decision reads.
 */
import { type Draft, error, type Path } from "../findings.js";
import { PRECONDITION_KEYS } from "./keys.js";
import { nodeRef, rewriteVariables, type VariableScope } from "./values.js";

export interface CheckTask {
  command: string;
  path: Path;
}

export interface PreconditionPlan {
  /** CEL over params, earlier outputs and the check tasks (`$CHECK<i>` stands for check i's node). */
  terms: string[];
  checks: CheckTask[];
}

const quote = (s: string) => JSON.stringify(s);

export function planPreconditions(
  value: unknown,
  path: Path,
  scope: VariableScope,
  drafts: Draft[],
): PreconditionPlan {
  const plan: PreconditionPlan = { terms: [], checks: [] };
  const items = Array.isArray(value)
    ? value.map((v, i) => ({ v, at: [...path, i] }))
    : [{ v: value, at: path }];
  for (const { v, at } of items) {
    if (typeof v === "string") {
      addCommand(plan, v, undefined, false, at);
      continue;
    }
    if (!v || typeof v !== "object" || Array.isArray(v)) {
      drafts.push(
        error(
          "E_DAGU_PRECONDITION",
          at,
          "a precondition is a command string or `{condition, expected}`",
        ),
      );
      continue;
    }
    const entry = v as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!PRECONDITION_KEYS.has(key))
        drafts.push(
          error("E_UNKNOWN_KEY", [...at, key], `unknown key \`${key}\` in a precondition`, {
            atKey: true,
            hint: "preconditions take condition, expected, negate",
          }),
        );
    }
    const condition = entry.condition ?? entry.command ?? entry.eval;
    if (typeof condition !== "string" || condition === "") {
      drafts.push(
        error("E_DAGU_PRECONDITION", at, "a precondition needs a `condition`", {
          hint: 'write `condition: "${VAR}"` with `expected: value`, or a command',
        }),
      );
      continue;
    }
    const expected =
      entry.expected === undefined || entry.expected === null ? undefined : String(entry.expected);
    addCondition(plan, condition, expected, entry.negate === true, at, scope);
  }
  return plan;
}

function addCondition(
  plan: PreconditionPlan,
  condition: string,
  expected: string | undefined,
  negate: boolean,
  at: Path,
  scope: VariableScope,
) {
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}?$/.exec(
    condition.trim(),
  );
  const name = variable?.[1];
  const known = name !== undefined && (scope.params.has(name) || scope.outputs.has(name));
  if (variable && known && expected !== undefined) {
    const value =
      scope.params.has(name!) && !variable[2]
        ? `params.${name}`
        : `${nodeRef(scope.outputs.get(name!)!)}.output${variable[2] ?? ""}`;
    plan.terms.push(wrap(compare(`string(${value})`, expected), negate));
    return;
  }
  const backticks = /^`([^`]+)`$/.exec(condition.trim());
  addCommand(
    plan,
    backticks ? backticks[1]! : condition,
    backticks ? expected : expected === undefined ? undefined : expected,
    negate,
    at,
    backticks ? undefined : scope,
  );
}

function addCommand(
  plan: PreconditionPlan,
  command: string,
  expected: string | undefined,
  negate: boolean,
  at: Path,
  scope?: VariableScope,
) {
  const index = plan.checks.length;
  const ref = `$CHECK${index}`;
  if (expected === undefined) {
    plan.checks.push({ command, path: at });
    plan.terms.push(wrap(`${ref}.status == "succeeded"`, negate));
  } else {
    // `condition: "${A}_${B}"` with `expected`: the shell expands it and prints it for comparison.
    const printed = scope
      ? `printf '%s' "${rewriteVariables(command, scope).replace(/"/g, '\\"')}"`
      : command;
    plan.checks.push({ command: printed, path: at });
    plan.terms.push(wrap(compare(`string(${ref}.output)`, expected), negate));
  }
}

/** Dagu compares text; `re:` makes it a regular expression (CEL's matches, RE2 like Go's). */
function compare(value: string, expected: string): string {
  if (expected.startsWith("re:")) return `${value}.matches(${quote(expected.slice(3))})`;
  return `${value} == ${quote(expected)}`;
}

const wrap = (term: string, negate: boolean) => (negate ? `!(${term})` : term);
