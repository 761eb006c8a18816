/** One Dagu step as a weft node: what it runs, its retries, its continue-on rules, its fields. */
import { type Draft, error, type Path, warning } from "../findings.js";
import { isReservedName, reservedParam } from "../reserved.js";
import { didYouMean } from "../suggest.js";
import {
  CONTINUE_KEYS,
  canonicalKey,
  EXECUTOR_KEYS,
  RETRY_KEYS,
  STEP_KEYS,
  spellings,
  UNSUPPORTED_STEP_KEYS,
} from "./keys.js";
import { workflowNameFrom } from "./names.js";
import type { RawStep } from "./steps.js";
import { namedValues, rewriteVariables, type VariableScope } from "./values.js";

type Obj = Record<string, unknown>;
const FIELD_NAMES: Record<string, string> = {
  command: "with",
  script: "with",
  working_dir: "with",
  env: "with",
  shell: "with",
  stdout: "with",
  stderr: "with",
  retry_policy: "retries",
  continue_on: "continueOnFailure",
  timeout_sec: "timeout",
  call: "workflow",
  run: "workflow",
  name: "id",
};
export const nativeField = (field: string) => FIELD_NAMES[field] ?? field;

export function stepNode(
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
    for (const p of namedValues(f.params, at("params"), drafts, "param")) {
      if (isReservedName(p.name)) drafts.push(reservedParam(p.name, p.path));
      else params[p.name] = rewriteVariables(p.value ?? "", scope);
    }
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
  if (f.continue_on !== undefined)
    Object.assign(node, continueOn(f.continue_on, at("continue_on"), node.kind === "task", drafts));
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
  // Dagu's `stdout:`/`stderr:` files: the stream is written there too.
  for (const stream of ["stdout", "stderr"] as const) {
    const file = f[stream];
    if (typeof file === "string" && file !== "") args[stream] = rewriteVariables(file, scope);
    else if (file !== undefined)
      drafts.push(error("E_TYPE", at(stream), `\`${stream}\` must be a file path`));
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

/**
 * Dagu's `continueOn` as weft's `continueOnFailure` and `continueOn` (codes, output patterns,
 * markSuccess). `skipped` is carried by the importer's edges (see convert.ts).
 */
function continueOn(value: unknown, path: Path, isTask: boolean, drafts: Draft[]): Obj {
  // An empty `continueOn:` is unset, as Dagu reads it.
  if (value === null) return {};
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (word === "failed" || word === "failure") return { continueOnFailure: true };
    if (word === "skipped") return {};
    drafts.push(
      error("E_TYPE", path, `\`continueOn: ${value}\` is neither \`failed\` nor \`skipped\``, {
        hint: "write `failed`, `skipped`, or a mapping such as `{exitCode: [1], markSuccess: true}`",
      }),
    );
    return {};
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    drafts.push(error("E_TYPE", path, "`continueOn` must be a mapping such as `{failure: true}`"));
    return {};
  }
  const out: Obj = {};
  const rules: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const k = canonicalKey(key);
    const here: Path = [...path, key];
    if (!CONTINUE_KEYS.has(k)) {
      drafts.push(
        error("E_UNKNOWN_KEY", here, `unknown key \`${key}\` in continueOn`, {
          atKey: true,
          hint:
            didYouMean(key, spellings(CONTINUE_KEYS)) ??
            "continueOn takes failure, skipped, exitCode, output, markSuccess",
        }),
      );
      continue;
    }
    if (k === "failure" || k === "failed" || k === "skipped" || k === "mark_success") {
      if (typeof v !== "boolean") {
        drafts.push(error("E_TYPE", here, `\`${key}\` must be true or false`));
        continue;
      }
      if (k === "failure" || k === "failed") {
        if (v) out.continueOnFailure = true;
        continue;
      }
      if (k === "skipped" || !v) continue;
    }
    if (!isTask) {
      drafts.push(
        warning(
          "W_DAGU_UNSUPPORTED",
          here,
          `continueOn \`${key}\` applies to commands; a step that calls a workflow only takes \`failure\``,
          { atKey: true },
        ),
      );
      continue;
    }
    if (k === "mark_success") {
      rules.markSuccess = true;
      continue;
    }
    const listed = k === "exit_code" ? exitCodes(v, here, drafts) : patterns(v, here, drafts);
    if (listed && listed.length > 0) rules[k === "exit_code" ? "codes" : "output"] = listed;
  }
  // Going on past every failure, Dagu never looks at the codes or the output.
  if (out.continueOnFailure) {
    delete rules.codes;
    delete rules.output;
  }
  if (Object.keys(rules).length > 0) out.continueOn = rules;
  return out;
}

/** Dagu's `exitCode`: an integer, a list of them, or digits in a string. */
function exitCodes(value: unknown, path: Path, drafts: Draft[]): number[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const codes: number[] = [];
  for (const [i, item] of items.entries()) {
    const n = typeof item === "string" && /^\s*-?\d+\s*$/.test(item) ? Number(item) : item;
    if (typeof n === "number" && Number.isInteger(n)) codes.push(n);
    else {
      drafts.push(
        error(
          "E_TYPE",
          Array.isArray(value) ? [...path, i] : path,
          `exit code \`${JSON.stringify(item)}\` is not an integer`,
          { hint: "write an exit code such as 1, or a list such as [1, 2]" },
        ),
      );
      return undefined;
    }
  }
  return codes;
}

/** Dagu's `output`: a pattern or a list of them (`re:` for a regular expression). */
function patterns(value: unknown, path: Path, drafts: Draft[]): string[] | undefined {
  if (value === null || value === "") return [];
  const items = Array.isArray(value) ? value : [value];
  const texts = items.filter((item): item is string => typeof item === "string");
  if (texts.length === items.length) return texts;
  const i = items.findIndex((item) => typeof item !== "string");
  drafts.push(
    error("E_TYPE", Array.isArray(value) ? [...path, i] : path, "an output pattern must be text", {
      hint: "write the text a line contains, or `re:` and a regular expression",
    }),
  );
  return undefined;
}
