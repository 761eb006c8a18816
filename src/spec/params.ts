/**
 * Run and template parameters checked against a workflow's declared `parameters`. Every problem
 * is reported at once so a command line can be fixed in one go, and defaults are filled so the
 * engine sees each declared value that has one.
 */

import { escapeControl } from "./escape.js";
import type { Parameter, Workflow } from "./model.js";
import { isReservedName, reservedNameReason } from "./reserved.js";
import { didYouMean } from "./suggest.js";
import { valueProblem } from "./validate/structure.js";

export interface ParamProblem {
  name: string;
  message: string;
  hint?: string;
}

export type ParamCheck =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; problems: ParamProblem[] };

type Declared = Workflow["parameters"];

/**
 * Unknown names, missing required parameters and values that do not fit, sorted by name. A
 * value of `undefined` counts as not given, as it would in JSON.
 */
export function checkParams(declared: Declared, given: Record<string, unknown>): ParamCheck {
  const problems: ParamProblem[] = [];
  const params: [string, unknown][] = [];
  const names = [...new Set([...Object.keys(declared), ...Object.keys(given)])].sort();
  for (const name of names) {
    if (isReservedName(name)) {
      problems.push(reservedName(name));
      continue;
    }
    const p = declaredParameter(declared, name);
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (!p) {
      if (value !== undefined) problems.push(unknownName(name, declared));
      continue;
    }
    if (value === undefined) {
      // Copied so a caller that edits its params cannot edit the workflow's defaults.
      if (p.default !== undefined) params.push([name, structuredClone(p.default)]);
      else if (p.required) {
        problems.push({
          name,
          message: `missing required parameter \`${name}\``,
          hint: `give it ${expected(p)}`,
        });
      }
      continue;
    }
    const problem = valueProblem(p, value);
    if (!problem) params.push([name, value]);
    else
      problems.push(
        withHint({ name, message: `parameter \`${name}\` ${problem}` }, near(p, value)),
      );
  }
  // fromEntries defines own properties, so a parameter called `__proto__` stays a value.
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, params: Object.fromEntries(params) };
}

/**
 * CLI `name=value` strings as typed values, following each parameter's declared type. Names
 * not declared stay strings for checkParams to report. A later assignment to the same name
 * wins; one that fails to parse leaves the name out of `params`, so report these problems
 * before (or instead of) what checkParams says about the same names.
 */
export function parseParamAssignments(
  pairs: string[],
  declared: Declared,
): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const values = new Map<string, unknown>();
  const problems: ParamProblem[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 0) {
      const p = declaredParameter(declared, pair);
      problems.push({
        name: pair,
        message: `\`${escapeControl(pair)}\` is not a \`name=value\` assignment`,
        hint: `write \`${escapeControl(pair)}=${p?.type === "boolean" ? "true" : "<value>"}\``,
      });
      continue;
    }
    const name = pair.slice(0, at);
    if (name === "") {
      problems.push({
        name,
        message: `\`${escapeControl(pair)}\` has no parameter name before \`=\``,
        hint: "write `name=value`",
      });
      continue;
    }
    if (isReservedName(name)) {
      problems.push(reservedName(name));
      continue;
    }
    const p = declaredParameter(declared, name);
    const parsed = p ? parseValue(name, p, pair.slice(at + 1)) : { value: pair.slice(at + 1) };
    if ("problem" in parsed) {
      values.delete(name);
      problems.push(parsed.problem);
    } else values.set(name, parsed.value);
  }
  return { params: Object.fromEntries(values), problems };
}

type Parsed = { value: unknown } | { problem: ParamProblem };

function parseValue(name: string, p: Parameter, raw: string): Parsed {
  const notA = (hint?: string): Parsed => ({
    problem: withHint(
      { name, message: `parameter \`${name}\` ${valueProblem({ type: p.type }, raw)}` },
      hint,
    ),
  });
  switch (p.type) {
    case "string":
      return { value: raw };
    case "enum":
      return { value: enumValue(p.enum ?? [], raw) };
    case "number":
    case "integer": {
      const n = parseNumber(raw);
      if (n === undefined) return notA();
      if (p.type === "integer" && !Number.isInteger(n)) {
        return {
          problem: { name, message: `parameter \`${name}\` ${valueProblem(p, n)}` },
        };
      }
      return { value: n };
    }
    case "boolean": {
      const b = BOOLEAN_WORDS.get(raw.toLowerCase());
      return b === undefined ? notA("use true or false (yes/no and 1/0 also work)") : { value: b };
    }
    case "object":
    case "array":
      try {
        return { value: JSON.parse(raw) };
      } catch (e) {
        const example = p.type === "object" ? `'{"key":"value"}'` : `'["a","b"]'`;
        return {
          problem: {
            name,
            message: `parameter \`${name}\` is not valid JSON: ${(e as Error).message}`,
            hint: `write JSON, quoted for the shell, e.g. ${name}=${example}`,
          },
        };
      }
  }
}

const BOOLEAN_WORDS = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
  ["1", true],
  ["0", false],
]);

/** Decimal numbers only: `Number()` would also take `0x10`, `0b1` and blank text. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(raw: string): number | undefined {
  if (!DECIMAL.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The allowed value the text spells, so `--param level=2` finds the number 2 in `enum: [1, 2]`;
 * text that spells none stays a string for checkParams to reject.
 */
function enumValue(allowed: unknown[], raw: string): unknown {
  const spelt = allowed.find((v) => (typeof v === "string" ? v : JSON.stringify(v)) === raw);
  if (spelt !== undefined) return spelt;
  const n = parseNumber(raw);
  return n !== undefined && allowed.includes(n) ? n : raw;
}

/** Own properties only, so a name like `constructor` is never mistaken for a declaration. */
function declaredParameter(declared: Declared, name: string): Parameter | undefined {
  return Object.hasOwn(declared, name) ? declared[name] : undefined;
}

function reservedName(name: string): ParamProblem {
  return { name, message: `\`${name}\` ${reservedNameReason}`, hint: "rename the parameter" };
}

function unknownName(name: string, declared: Declared): ParamProblem {
  const names = Object.keys(declared);
  return {
    name,
    message: `unknown parameter \`${escapeControl(name)}\``,
    hint:
      didYouMean(name, names) ??
      (names.length === 0
        ? "this workflow declares no parameters"
        : `declared parameters: ${names.sort().join(", ")}`),
  };
}

/** A close allowed value when a string misses an enum, e.g. `prod` for `prdo`. */
function near(p: Parameter, value: unknown): string | undefined {
  if (!p.enum || typeof value !== "string") return undefined;
  return didYouMean(
    value,
    p.enum.filter((v): v is string => typeof v === "string"),
  );
}

function expected(p: Parameter): string {
  if (p.enum) return `one of ${p.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  const article: Record<Parameter["type"], string> = {
    string: "a string",
    number: "a number",
    integer: "an integer",
    boolean: "true or false",
    enum: "a value",
    object: "a mapping",
    array: "a list",
  };
  return article[p.type];
}

/** Adds `hint` only when there is one, so problems compare cleanly. */
function withHint(problem: ParamProblem, hint: string | undefined): ParamProblem {
  return hint === undefined ? problem : { ...problem, hint };
}
