/**
 * `--ascii`: whatever a screen writes reaches the terminal as pure ASCII. Each character is
 * replaced by one ASCII character of the same width, so columns stay where the layout put
 * them; the canvas and the status glyphs already have ASCII forms, this catches the rest
 * (separators, arrows, ellipses, quotes) wherever they come from.
 */
const ASCII: Record<string, string> = {
  "·": "-",
  "»": ">",
  "«": "<",
  "›": ">",
  "‹": "<",
  "…": ".",
  "—": "-",
  "–": "-",
  "“": '"',
  "”": '"',
  "‘": "'",
  "’": "'",
  "✓": "+",
  "✗": "x",
  "↑": "^",
  "↓": "v",
  "←": "<",
  "→": ">",
  "↻": "~",
  "◷": "w",
  "⊘": "/",
  "│": "|",
  "─": "-",
  "═": "=",
  "║": "|",
};

const NON_ASCII = /[\u{80}-\u{10FFFF}]/gu;

/** The text with every non-ASCII character replaced (unknown ones by `?`, braille spinners by `*`). */
export function toAscii(text: string): string {
  return text.replace(NON_ASCII, (c) => {
    const mapped = ASCII[c];
    if (mapped !== undefined) return mapped;
    const code = c.codePointAt(0)!;
    if (code >= 0x2800 && code <= 0x28ff) return "*";
    if (code >= 0x2500 && code <= 0x257f) return "+";
    return "?";
  });
}

/** Makes `stream.write` send ASCII only; returns the undo. */
export function asciiOnly(stream: NodeJS.WriteStream): () => void {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    write(
      typeof chunk === "string" ? toAscii(chunk) : toAscii(Buffer.from(chunk).toString("utf8")),
      ...rest,
    )) as typeof stream.write;
  return () => {
    stream.write = write as typeof stream.write;
  };
}
