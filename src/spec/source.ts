/**
 * Reading a workflow file's text: bytes to checked UTF-8, then YAML documents that remember
 * where every value came from, so each finding can point at file:line:column.
 */
import { CORE_SCHEMA, loadAll } from "js-yaml";
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node,
  parseAllDocuments,
} from "yaml";
import { escapeControl } from "./escape.js";
import type { Path } from "./findings.js";

export interface Position {
  line: number;
  col: number;
}

/** A problem found while reading, already placed at a line and column. */
export interface ReadProblem extends Position {
  severity: "error" | "warning";
  code: string;
  message: string;
  hint?: string;
}

export const READ_LIMITS = {
  fileBytes: 16 * 1024 * 1024,
  stringBytes: 1024 * 1024,
  depth: 64,
  aliases: 100,
} as const;

export interface SourceDocument {
  /** 0-based position of the document in the file (empty documents are counted too). */
  index: number;
  value: unknown;
  /** Where the document starts, for findings about the document as a whole. */
  start: Position;
  /** Position of the value at `path`, or of its deepest ancestor that exists in the text. */
  locate(path: Path, atKey?: boolean): Position;
  /** Position of a character inside the string scalar at `path`, when it can be exact. */
  locateInScalar(path: Path, offset: number): Position | undefined;
}

export interface ReadResult {
  documents: SourceDocument[];
  problems: ReadProblem[];
}

/**
 * Anchors, aliases and tags, and keys the full reader reports (`__proto__`, `<<`, `? [a]`,
 * `[a]: 1`): the fast reader leaves files that may use them to the full one.
 */
const NEEDS_FULL_READER = /(^|[\s[{,:-])[&*!][^\s&]|__proto__|<<|(^|[\s{,-])\?(\s|$)|[\]}]\s*:/m;

/**
 * The fast path for the common case, a plain file with no problem: js-yaml reads it many times
 * faster than the yaml package. Its documents know no positions, so the caller must read the
 * file again with `readYamlDocuments` as soon as there is anything to report. Returns undefined
 * whenever the file is not plain enough to be sure both readers agree.
 */
export function readYamlFast(text: string): ReadResult | undefined {
  if (text.length > READ_LIMITS.fileBytes || NEEDS_FULL_READER.test(text)) return undefined;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  // js-yaml reads an empty document and `null` alike; only the full reader tells them apart.
  if (values.some((v) => v === null || typeof v !== "object" || Array.isArray(v))) return undefined;
  const nowhere: Position = { line: 1, col: 1 };
  const documents: SourceDocument[] = values.map((value, index) => ({
    index,
    value,
    start: nowhere,
    locate: () => nowhere,
    locateInScalar: () => undefined,
  }));
  if (documents.some((d) => checkShape(d.value))) return undefined;
  return { documents, problems: [] };
}

/** Comments, as the YAML lexer sees them (a `#` inside a quoted string is not one). */
export function containsComments(text: string): boolean {
  if (!text.includes("#")) return false;
  for (const token of new Lexer().lex(text)) if (token.startsWith("#")) return true;
  return false;
}

/** Parses every `---` document; never throws. Empty documents are left out of `documents`. */
export function readYamlDocuments(text: string): ReadResult {
  const lineCounter = new LineCounter();
  const problems: ReadProblem[] = [];
  const documents: SourceDocument[] = [];
  if (text.length > READ_LIMITS.fileBytes) {
    problems.push({
      severity: "error",
      code: "E_FILE_TOO_LARGE",
      line: 1,
      col: 1,
      message: `the file has ${text.length} characters; weft reads workflow files of at most ${READ_LIMITS.fileBytes}`,
    });
    return { documents, problems };
  }
  let parsed: Document.Parsed[];
  try {
    const all = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
    });
    parsed = Array.isArray(all) ? all : [];
  } catch (cause) {
    problems.push({
      severity: "error",
      code: "E_YAML",
      line: 1,
      col: 1,
      message: `the YAML parser gave up: ${(cause as Error).message}`,
    });
    return { documents, problems };
  }
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  parsed.forEach((doc, index) => {
    let failed = false;
    for (const e of doc.errors) {
      failed = true;
      problems.push({
        severity: "error",
        code: yamlCode(e.code),
        ...position(e.pos[0]),
        message: yamlMessage(e.message),
        hint: yamlHint(e.code),
      });
    }
    for (const w of doc.warnings) {
      problems.push({
        severity: "warning",
        code: "W_YAML",
        ...position(w.pos[0]),
        message: yamlMessage(w.message),
      });
    }
    if (failed || doc.contents === null || isEmptyDocument(doc)) return;
    // Before toJS, which would drop or merge these keys (and warn on the process for some).
    const lost = checkKeys(doc);
    if (lost.length > 0) {
      for (const k of lost) {
        problems.push({
          severity: "error",
          code: k.code,
          ...position(k.offset),
          message: k.message,
          hint: k.hint,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: READ_LIMITS.aliases });
    } catch (cause) {
      problems.push({
        severity: "error",
        code: "E_YAML_ALIASES",
        ...position(doc.range[0]),
        message: `aliases expand too far (${(cause as Error).message.toLowerCase()})`,
        hint: `weft expands at most ${READ_LIMITS.aliases} aliases per value; write the values out`,
      });
      return;
    }
    const tooBig = checkShape(value);
    const start = position(doc.contents.range[0]);
    if (tooBig) {
      const at = position(nodeAt(doc, tooBig.path).node?.range?.[0] ?? doc.contents.range[0]);
      problems.push({
        severity: "error",
        code: tooBig.code,
        ...at,
        message: tooBig.message,
        hint: tooBig.hint,
      });
      return;
    }
    documents.push({
      index,
      value,
      start,
      locate(path, atKey = false) {
        const found = nodeAt(doc, path);
        const target = atKey && found.keyNode && found.complete ? found.keyNode : found.node;
        return position(target?.range?.[0] ?? doc.contents!.range[0]);
      },
      locateInScalar(path, offset) {
        const found = nodeAt(doc, path);
        if (!found.complete || !isScalar(found.node) || !found.node.range) return undefined;
        const [from, to] = found.node.range;
        const raw = text.slice(from, to);
        if (raw.includes("\n")) return undefined;
        const quote =
          found.node.type === "QUOTE_DOUBLE" || found.node.type === "QUOTE_SINGLE" ? 1 : 0;
        if (found.node.type === "QUOTE_DOUBLE" && raw.includes("\\")) return undefined;
        if (found.node.type === "QUOTE_SINGLE" && raw.includes("''")) return undefined;
        return position(from + quote + offset);
      },
    });
  });
  return { documents, problems };
}

/** `---` followed by nothing (or only comments): Dagu skips such documents, and so do we. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return isScalar(c) && c.value === null && (c.source === undefined || c.source === "") && !c.tag;
}

interface Located {
  node: Node | undefined;
  keyNode: Node | undefined;
  /** False when the path left the text early: `node` is then the deepest ancestor found. */
  complete: boolean;
}

function nodeAt(doc: Document.Parsed, path: Path): Located {
  let node = doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return { node, keyNode, complete: false };
      keyNode = pair.key as Node;
      if (!pair.value) return { node: keyNode, keyNode, complete: false };
      node = pair.value as Node;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
      keyNode = undefined;
      node = node.items[segment] as Node;
    } else {
      return { node: node ?? undefined, keyNode, complete: false };
    }
  }
  return { node: node ?? undefined, keyNode, complete: true };
}

interface ShapeProblem {
  code: string;
  path: Path;
  message: string;
  hint: string;
}

/** Depth and string size, checked without recursion so hostile nesting cannot blow the stack. */
function checkShape(root: unknown): ShapeProblem | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string" && value.length > READ_LIMITS.stringBytes) {
      return {
        code: "E_VALUE_TOO_LARGE",
        path,
        message: `a string of ${value.length} characters; weft accepts at most ${READ_LIMITS.stringBytes} in one value`,
        hint: "keep large scripts and data in files the task reads",
      };
    }
    if (value === null || typeof value !== "object") continue;
    if (path.length >= READ_LIMITS.depth) {
      return {
        code: "E_TOO_DEEP",
        path,
        message: `values nest more than ${READ_LIMITS.depth} levels deep`,
        hint: "a workflow never needs this much nesting; flatten the value",
      };
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.entries(value);
    for (const [k, v] of entries) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}

export interface KeyProblem {
  code: string;
  offset: number;
  message: string;
  hint: string;
}

/**
 * Keys that would not survive as written once the document is a JavaScript value: `__proto__`
 * (dropped or turned into a prototype), a plain `<<` (a merge in YAML 1.1, which weft does not
 * do), and keys that differ in the text but not as strings (`1` and `"1"`, `~` and `""`).
 * Walked without recursion; aliases point at nodes that are walked where they are defined.
 */
export function checkKeys(doc: { contents: unknown }): KeyProblem[] {
  const out: KeyProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) {
      stack.push(...node.items);
      continue;
    }
    if (!isMap(node)) continue;
    const seen = new Set<string>();
    for (const pair of node.items) {
      stack.push(pair.value);
      if (isMap(pair.key) || isSeq(pair.key)) {
        out.push({
          code: "E_YAML_COMPLEX_KEY",
          offset: pair.key.range?.[0] ?? 0,
          message: `a ${isMap(pair.key) ? "mapping" : "list"} as a key would be turned into a string`,
          hint: "keys are plain strings: write this one as a string",
        });
        continue;
      }
      if (!isScalar(pair.key)) continue;
      const key = pair.key;
      const offset = key.range?.[0] ?? 0;
      const text = key.value === null ? "" : String(key.value);
      if (key.type === "PLAIN" && key.source === "<<") {
        out.push({
          code: "E_YAML_MERGE_KEY",
          offset,
          message: "merge keys are not supported (`<<`), write the keys out",
          hint: 'write the merged keys out in this mapping (or quote it, `"<<"`, for a key of that name)',
        });
      } else if (text === "__proto__") {
        out.push({
          code: "E_YAML_PROTO_KEY",
          offset,
          message: "a key named `__proto__` is not allowed: it would be dropped",
          hint: "rename the key (`__proto__`, `constructor` and `prototype` cannot name a parameter)",
        });
      } else if (seen.has(text)) {
        out.push({
          code: "E_YAML_DUPLICATE_KEY",
          offset,
          message: `the key ${escapeControl(JSON.stringify(text))} appears twice in this mapping (written differently)`,
          hint: "each key may appear once in a mapping: remove or rename one",
        });
      }
      seen.add(text);
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function yamlCode(code: string): string {
  if (code === "DUPLICATE_KEY") return "E_YAML_DUPLICATE_KEY";
  if (code === "TAB_AS_INDENT") return "E_YAML_TAB";
  if (code === "RESOURCE_EXHAUSTION") return "E_TOO_DEEP";
  return "E_YAML";
}

function yamlHint(code: string): string | undefined {
  if (code === "DUPLICATE_KEY")
    return "each key may appear once in a mapping: remove or rename one";
  if (code === "TAB_AS_INDENT") return "YAML indents with spaces only: replace the tab with spaces";
  if (code === "RESOURCE_EXHAUSTION") return "the file nests too deeply for a workflow; flatten it";
  return undefined;
}

/** The yaml package appends " at line L, column C:" and a source excerpt; we print our own. */
function yamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").replace(/^./, (c) => c.toLowerCase());
}
