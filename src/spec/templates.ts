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

function closingBrace(text: string, from: number): number {
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

/** Every string inside a JSON-like value, with its path below `base`. */
export function* stringsIn(
  value: unknown,
  base: readonly (string | number)[],
): Generator<{ text: string; path: (string | number)[] }> {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [...base] }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") yield { text: item.value, path: item.path };
    else if (Array.isArray(item.value))
      item.value.forEach((v, i) => {
        stack.push({ value: v, path: [...item.path, i] });
      });
    else if (item.value && typeof item.value === "object")
      for (const [k, v] of Object.entries(item.value))
        stack.push({ value: v, path: [...item.path, k] });
  }
}
