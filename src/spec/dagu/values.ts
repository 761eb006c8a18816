/** Dagu's value shapes: params, env, `KEY=value` strings, and `${VAR}` references in commands. */
import { type Draft, type Path, warning } from "../findings.js";
import { wordsOf } from "../shell-words.js";

export interface NamedValue {
  name: string;
  /** Undefined for a bare name: a parameter declared without a default. */
  value?: string;
  path: Path;
}

const stringOf = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

/**
 * Params and env in any of Dagu's shapes: a `KEY=value ...` string, a mapping, or a list of
 * `KEY=value` strings, bare names and one-key mappings.
 */
export function namedValues(
  value: unknown,
  path: Path,
  drafts: Draft[],
  what: string,
): NamedValue[] {
  const out: NamedValue[] = [];
  const fromWord = (word: string, at: Path) => {
    const eq = word.indexOf("=");
    if (eq > 0) out.push({ name: word.slice(0, eq), value: word.slice(eq + 1), path: at });
    else out.push({ name: word, path: at });
  };
  if (value === null || value === undefined) return out;
  if (typeof value === "string") for (const w of wordsOf(value)) fromWord(w, path);
  else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === "string") for (const w of wordsOf(item)) fromWord(w, [...path, i]);
      else if (item && typeof item === "object" && !Array.isArray(item)) {
        for (const [k, v] of Object.entries(item))
          out.push({ name: k, value: stringOf(v), path: [...path, i, k] });
      } else if (typeof item === "number" || typeof item === "boolean")
        fromWord(String(item), [...path, i]);
      else
        drafts.push({
          severity: "error",
          code: "E_DAGU_VALUE",
          path: [...path, i],
          message: `${what} entries are \`KEY=value\` strings or \`KEY: value\` mappings`,
        });
    });
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value))
      out.push({ name: k, value: stringOf(v), path: [...path, k] });
  } else {
    drafts.push({
      severity: "error",
      code: "E_DAGU_VALUE",
      path,
      message: `${what} must be a mapping, a list or a \`KEY=value\` string, not ${typeof value}`,
    });
  }
  for (const nv of out) {
    if (nv.value?.includes("`")) {
      drafts.push(
        warning(
          "W_DAGU_COMMAND_SUBSTITUTION",
          nv.path,
          `${what} \`${nv.name}\` uses backticks: Dagu runs that command when it loads the file; weft never runs anything from a spec and keeps the text as it is`,
          {
            hint: "compute the value in a task and read it from its output, or pass it when starting the run",
          },
        ),
      );
    }
  }
  return out;
}

/** Where a Dagu variable comes from, so `${VAR}` can become a weft expression. */
export interface VariableScope {
  params: ReadonlySet<string>;
  /** Output variable name -> the node id whose output it is. */
  outputs: ReadonlyMap<string, string>;
}

const nodeRef = (id: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(id) ? `nodes.${id}` : `nodes["${id}"]`;

/**
 * `${PARAM}` -> `${params.PARAM}`, `${OUT}` / `${OUT.a.b}` -> `${nodes.<id>.output.a.b}`; any
 * other `${VAR}` is an environment variable the shell expands, written `$${VAR}` so weft leaves it.
 */
export function rewriteVariables(text: string, scope: VariableScope): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, rest: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare!;
      const tail = rest ?? "";
      if (scope.params.has(name) && tail === "") return `\${params.${name}}`;
      const node = scope.outputs.get(name);
      if (node !== undefined) return `\${${nodeRef(node)}.output${tail}}`;
      return braced !== undefined ? `$${whole}` : whole;
    },
  );
}

export { nodeRef };
