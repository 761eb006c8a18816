/**
 * Templated strings: `${expr}` holds a CEL expression; `$${` writes a literal `${` (for shell
 * variables the engine must leave alone). Values are passed as arguments or environment by
 * the engine, never spliced into a command line.
 */
export interface TemplateExpression {
  expression: string;
  /** Offset of the expression's first character in the string. */
  offset: number;
}

export type TemplateScan =
  | { ok: true; expressions: TemplateExpression[] }
  | { ok: false; message: string; offset: number };

export function scanTemplate(text: string): TemplateScan {
  const expressions: TemplateExpression[] = [];
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf("$", i);
    if (at < 0) break;
    if (text.startsWith("$${", at)) {
      i = at + 3;
      continue;
    }
    if (!text.startsWith("${", at)) {
      i = at + 1;
      continue;
    }
    const end = closingBrace(text, at + 2);
    if (end < 0) return { ok: false, message: "`${` is never closed by `}`", offset: at };
    expressions.push({ expression: text.slice(at + 2, end), offset: at + 2 });
    i = end + 1;
  }
  return { ok: true, expressions };
}

/** A template's value as it goes into text: strings as they are, anything else as JSON. */
export const templateText = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value);

/** Index of the `}` that closes a `${` whose expression starts at `from` (quotes and nested braces skipped), or -1. */
export function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Every string inside a JSON-like value that holds `${`, with its path below `base`. Paths are
 * built only for the strings returned: most argument values are plain text.
 */
export function templatedStrings(
  value: unknown,
  base: readonly (string | number)[],
): { text: string; path: (string | number)[] }[] {
  const found: { text: string; path: (string | number)[] }[] = [];
  const path: (string | number)[] = [...base];
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      if (v.includes("${")) found.push({ text: v, path: [...path] });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    } else if (v && typeof v === "object") {
      for (const key of Object.keys(v)) {
        path.push(key);
        visit((v as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  visit(value);
  return found;
}

/** The value with `fn` applied to every string in it, at any depth (objects and lists copied). */
export function mapStrings(value: unknown, fn: (text: string) => unknown): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}
