/**
 * A params file's text (`weft run --params-file`): a YAML or JSON mapping of parameter name to
 * value. Every way it can be wrong is one line, `file:line:col: what is wrong`, never a throw.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument } from "yaml";
import { escapeControl } from "./escape.js";
import { RESERVED_NAMES, reservedNameReason } from "./reserved.js";
import { checkKeys } from "./source.js";

export type ParamsFileResult =
  | { ok: true; params: Record<string, unknown> }
  | { ok: false; problem: string };

export function parseParamsText(text: string, file: string): ParamsFileResult {
  const lineCounter = new LineCounter();
  const fail = (offset: number, message: string): ParamsFileResult => {
    const { line, col } = lineCounter.linePos(offset);
    return { ok: false, problem: `${file}:${line}:${col}: ${message}` };
  };
  const source = text.replace(/^\uFEFF/, "");
  // YAML reads more than JSON does (`{"a": 1,}`): a .json file is held to JSON first.
  if (/\.json$/i.test(file)) {
    try {
      JSON.parse(source);
    } catch (cause) {
      const message = (cause as Error).message;
      const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
      const { line, col } = positionIn(source, offset);
      const what = message
        .replace(/ in JSON at position \d+.*$/, "")
        .replace(/^./, (c) => c.toLowerCase());
      return { ok: false, problem: `${file}:${line}:${col}: not valid JSON: ${what}` };
    }
  }
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(source, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
    });
  } catch (cause) {
    return {
      ok: false,
      problem: `${file}:1:1: the YAML parser gave up: ${(cause as Error).message}`,
    };
  }
  const first = doc.errors[0];
  if (first) return fail(first.pos[0], firstLine(first.message));
  const contents = doc.contents;
  if (!isMap(contents)) {
    return fail(
      contents?.range?.[0] ?? 0,
      "a params file is a mapping of name to value (JSON or YAML)",
    );
  }
  for (const pair of contents.items) {
    if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== "string") {
      const at = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
      return fail(at, "parameter names are strings");
    }
    if (RESERVED_NAMES.has(pair.key.value)) {
      return fail(
        pair.key.range?.[0] ?? 0,
        `\`${escapeControl(pair.key.value)}\` ${reservedNameReason}`,
      );
    }
  }
  const lost = checkKeys(doc)[0];
  if (lost) return fail(lost.offset, lost.message);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    return fail(contents.range?.[0] ?? 0, firstLine((cause as Error).message));
  }
  return { ok: true, params: value as Record<string, unknown> };
}

function positionIn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** The yaml package appends " at line L, column C:" and an excerpt; the position is ours. */
function firstLine(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").replace(/^./, (c) => c.toLowerCase());
}
