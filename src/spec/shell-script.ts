/**
 * `${...}` inside a shell script: each value goes to the shell as an environment variable and
 * the script gets a reference to it that is quoted for where it stands, so the author's own
 * quotes keep their meaning and the value is never split, globbed or run:
 *
 *   echo ${x}          ->  echo "${WEFT_ARG_1}"
 *   echo "a ${x} b"    ->  echo "a ${WEFT_ARG_1} b"
 *   echo 'a ${x} b'    ->  echo 'a '"${WEFT_ARG_1}"' b'
 *   cat <<EOF ${x} EOF ->  the here-document gets ${WEFT_ARG_1}
 *
 * The script is read with a small POSIX lexer: quotes, backslashes, comments, `$(...)`,
 * backticks, `$((...))`, `$'...'` and here-documents. A template in a here-document whose
 * delimiter is quoted (`<<'EOF'`) cannot be a reference (the shell expands nothing there), so it
 * is refused.
 */
import { closingBrace, templateText } from "./templates.js";

/** Where a template stands, which decides how its reference is quoted. */
export type ShellContext = "word" | "double" | "single" | "ansi";

export type ScriptPart = string | { expression: string; offset: number; context: ShellContext };

export type ScriptScan =
  | { ok: true; parts: ScriptPart[] }
  | { ok: false; message: string; offset: number };

type Frame =
  | { kind: "plain"; closer?: ")" | "`"; depth: number }
  | { kind: "double" | "single" | "ansi" }
  | { kind: "arith"; depth: number }
  | { kind: "heredoc"; delimiter: string; strip: boolean; quoted: boolean; lineStart: boolean };

const WORD_START = /[\s;&|()]/;

export function scanShellScript(script: string): ScriptScan {
  const parts: ScriptPart[] = [];
  const stack: Frame[] = [{ kind: "plain", depth: 0 }];
  const pending: { delimiter: string; strip: boolean; quoted: boolean }[] = [];
  let literalFrom = 0;
  const literal = (to: number) => {
    if (to > literalFrom) parts.push(script.slice(literalFrom, to));
  };
  let i = 0;
  while (i < script.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === "heredoc" && frame.lineStart) {
      frame.lineStart = false;
      const end = script.indexOf("\n", i);
      const line = script.slice(i, end < 0 ? script.length : end);
      if ((frame.strip ? line.replace(/^\t+/, "") : line) === frame.delimiter) {
        stack.pop();
        i = end < 0 ? script.length : end + 1;
        startHeredoc(stack, pending);
        continue;
      }
    }
    const c = script[i]!;
    if (script.startsWith("$${", i)) {
      literal(i);
      parts.push("${");
      i += 3;
      literalFrom = i;
      continue;
    }
    if (script.startsWith("${", i)) {
      const end = closingBrace(script, i + 2);
      if (end < 0) return { ok: false, message: "`${` is never closed by `}`", offset: i };
      if (frame.kind === "heredoc" && frame.quoted)
        return {
          ok: false,
          message: `a value cannot be passed into a here-document whose delimiter is quoted (<<'${frame.delimiter}'): the shell expands nothing there`,
          offset: i,
        };
      literal(i);
      parts.push({
        expression: script.slice(i + 2, end),
        offset: i + 2,
        context:
          frame.kind === "plain"
            ? "word"
            : frame.kind === "single" || frame.kind === "ansi"
              ? frame.kind
              : "double",
      });
      i = end + 1;
      literalFrom = i;
      continue;
    }
    switch (frame.kind) {
      case "single":
        if (c === "'") stack.pop();
        i++;
        continue;
      case "ansi":
        if (c === "\\") i++;
        else if (c === "'") stack.pop();
        i++;
        continue;
      case "double":
        if (c === '"') {
          stack.pop();
          i++;
          continue;
        }
        i = substitution(script, i, stack) ?? (c === "\\" ? i + 2 : i + 1);
        continue;
      case "heredoc":
        if (c === "\n") frame.lineStart = true;
        if (frame.quoted) {
          i++;
          continue;
        }
        i = substitution(script, i, stack) ?? (c === "\\" ? i + 2 : i + 1);
        continue;
      case "arith":
        if (c === "(") frame.depth++;
        else if (c === ")") {
          if (frame.depth > 0) frame.depth--;
          else if (script[i + 1] === ")") {
            stack.pop();
            i += 2;
            continue;
          }
        }
        i = substitution(script, i, stack) ?? i + 1;
        continue;
      case "plain": {
        if (c === "#" && (i === 0 || WORD_START.test(script[i - 1]!))) {
          // A comment: kept as written, templates and all (nothing in it runs).
          const end = script.indexOf("\n", i);
          i = end < 0 ? script.length : end;
          continue;
        }
        if (c === "'" || c === '"') {
          stack.push({ kind: c === "'" ? "single" : "double" });
          i++;
          continue;
        }
        if (c === "\\") {
          i += 2;
          continue;
        }
        if (c === "`" && frame.closer === "`") {
          stack.pop();
          i++;
          continue;
        }
        if (c === "(" && frame.closer === ")") frame.depth++;
        if (c === ")" && frame.closer === ")") {
          if (frame.depth === 0) {
            stack.pop();
            i++;
            continue;
          }
          frame.depth--;
        }
        if (script.startsWith("<<<", i)) {
          i += 3;
          continue;
        }
        if (script.startsWith("<<", i)) {
          i = hereDocument(script, i, pending);
          continue;
        }
        if (c === "\n" && pending.length > 0) {
          i++;
          startHeredoc(stack, pending);
          continue;
        }
        i = substitution(script, i, stack) ?? i + 1;
        continue;
      }
    }
  }
  literal(script.length);
  return { ok: true, parts };
}

/** `$(`, `$((`, `$'` or a backtick at `i`: pushes its frame and returns where scanning goes on. */
function substitution(script: string, i: number, stack: Frame[]): number | undefined {
  if (script.startsWith("$((", i)) {
    stack.push({ kind: "arith", depth: 0 });
    return i + 3;
  }
  if (script.startsWith("$(", i)) {
    stack.push({ kind: "plain", closer: ")", depth: 0 });
    return i + 2;
  }
  if (script.startsWith("$'", i) && stack[stack.length - 1]!.kind === "plain") {
    stack.push({ kind: "ansi" });
    return i + 2;
  }
  if (script[i] === "`") {
    stack.push({ kind: "plain", closer: "`", depth: 0 });
    return i + 1;
  }
  return undefined;
}

/** Reads the delimiter of `<<WORD` / `<<-WORD` at `i`; the body starts at the next line. */
function hereDocument(
  script: string,
  i: number,
  pending: { delimiter: string; strip: boolean; quoted: boolean }[],
): number {
  let j = i + 2;
  const strip = script[j] === "-";
  if (strip) j++;
  while (script[j] === " " || script[j] === "\t") j++;
  let delimiter = "";
  let quoted = false;
  let quote: string | undefined;
  for (; j < script.length; j++) {
    const c = script[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else delimiter += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      quoted = true;
    } else if (c === "\\") {
      quoted = true;
      delimiter += script[++j] ?? "";
    } else if (/[\s;&|<>()]/.test(c)) break;
    else delimiter += c;
  }
  if (delimiter !== "") pending.push({ delimiter, strip, quoted });
  return j;
}

function startHeredoc(
  stack: Frame[],
  pending: { delimiter: string; strip: boolean; quoted: boolean }[],
): void {
  const next = pending.shift();
  if (next) stack.push({ kind: "heredoc", ...next, lineStart: true });
}

/** The name of the variable that carries the n-th value (1-based). */
export const shellArgName = (n: number): string => `WEFT_ARG_${n}`;

/** A reference to value n, quoted for the context it stands in. */
export function shellReference(n: number, context: ShellContext): string {
  const ref = `\${${shellArgName(n)}}`;
  switch (context) {
    case "word":
      return `"${ref}"`;
    case "double":
      return ref;
    case "single":
      return `'"${ref}"'`;
    case "ansi":
      return `'"${ref}"$'`;
  }
}

/** The script with every template replaced by a reference; the values, in order, go to `values`. */
export function renderShellScript(
  parts: readonly ScriptPart[],
  evaluate: (expression: string) => unknown,
  values: string[],
): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = evaluate(part.expression);
    values.push(templateText(value));
    out += shellReference(values.length, part.context);
  }
  return out;
}
