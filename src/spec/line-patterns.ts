/**
 * The patterns of `continueOn.output`, as Dagu reads them: a plain pattern matches a line that
 * contains it; `re:` starts a regular expression tried against each line. A leading inline flag
 * group of Go's syntax, `(?i)`, `(?s)`, `(?m)` or a mix, becomes the JavaScript flags.
 */
export type LinePattern = { text: string } | { re: RegExp };

const RE_PREFIX = "re:";
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** The pattern ready to match, or why it cannot be. */
export function compileLinePattern(pattern: string): LinePattern | { error: string } {
  if (!pattern.startsWith(RE_PREFIX)) return { text: pattern };
  let source = pattern.slice(RE_PREFIX.length);
  let flags = "";
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    flags = [...new Set(inline[1])].join("");
    source = source.slice(inline[0].length);
  }
  try {
    return { re: new RegExp(source, flags) };
  } catch (cause) {
    return { error: (cause as Error).message.replace(/^Invalid regular expression: /, "") };
  }
}

/** The patterns that do not compile, each with its index and why (the spec's check, the editor's). */
export function linePatternProblems(
  patterns: readonly string[],
): { index: number; message: string }[] {
  return patterns.flatMap((pattern, index) => {
    const compiled = compileLinePattern(pattern);
    return "error" in compiled ? [{ index, message: `\`${pattern}\`: ${compiled.error}` }] : [];
  });
}

/** Whether a line of `text` matches one of the patterns (empty text is one empty line). */
export function someLineMatches(text: string, patterns: readonly LinePattern[]): boolean {
  if (patterns.length === 0) return false;
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  return lines.some((line) =>
    patterns.some((p) => ("text" in p ? line.includes(p.text) : p.re.test(line))),
  );
}
