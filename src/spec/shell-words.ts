/**
 * A command line split into words the way a POSIX shell splits it: blanks separate words,
 * single quotes keep everything, double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``,
 * a backslash outside quotes keeps the next character. Nothing is expanded: no variables, no
 * globs. `${...}` templates are kept whole inside their word (their expression may hold blanks
 * and quotes), so a command is split before its values are put in and a value never adds a word.
 */
import { closingBrace } from "./templates.js";

export type WordSplit =
  | { ok: true; words: string[] }
  | { ok: false; message: string; offset: number };

const BLANK = /[ \t\n]/;

export function splitWords(text: string): WordSplit {
  const words: string[] = [];
  let current = "";
  // A word has begun (an empty quoted word `''` counts).
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let quoteAt = 0;
  const begin = () => {
    inWord = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "$" && text.startsWith("$${", i)) {
      begin();
      current += "$${";
      i += 2;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const end = closingBrace(text, i + 2);
      if (end < 0) return { ok: false, message: "`${` is never closed by `}`", offset: i };
      begin();
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      continue;
    }
    if (c === "\\" && i + 1 < text.length) {
      const next = text[i + 1]!;
      begin();
      i++;
      if (quote === '"' && !'"\\$`\n'.includes(next)) current += c + next;
      // An escaped `$` before `{` stays a literal `${`, not a template.
      else if (next === "$" && text[i + 1] === "{") current += "$$";
      else if (next !== "\n") current += next;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      begin();
      quote = c;
      quoteAt = i;
    } else if (BLANK.test(c)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      begin();
      current += c;
    }
  }
  if (quote)
    return {
      ok: false,
      message: `the ${quote === "'" ? "single" : "double"} quote is never closed`,
      offset: quoteAt,
    };
  if (inWord) words.push(current);
  return { ok: true, words };
}

/** The words of a command line, or the line as one word where it does not split (validation says why). */
export function wordsOf(text: string): string[] {
  const split = splitWords(text);
  return split.ok ? split.words : [text];
}
