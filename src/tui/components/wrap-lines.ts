/**
 * Text broken into lines of at most `width` characters at spaces (a word longer than the width
 * is split), so a prompt's every choice stays on screen at 80 columns. Newlines are kept.
 */
export function wrapLines(text: string, width: number): string[] {
  const max = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line: string[] = [];
    for (const word of paragraph.split(" ")) {
      let chars = [...word];
      if (line.length > 0 && line.length + 1 + chars.length > max) {
        out.push(line.join(""));
        line = [];
      }
      if (line.length > 0) line.push(" ");
      while (line.length + chars.length > max) {
        const room = max - line.length;
        out.push([...line, ...chars.slice(0, room)].join(""));
        line = [];
        chars = chars.slice(room);
      }
      line.push(...chars);
    }
    out.push(line.join(""));
  }
  return out;
}

/** `text` in at most `most` lines of `width`; the last one marked … when there was more. */
export function wrappedAtMost(text: string, width: number, most: number): string[] {
  const lines = wrapLines(text, width);
  if (lines.length <= most) return lines;
  const kept = lines.slice(0, most);
  const last = kept[most - 1]!;
  kept[most - 1] = `${[...last].slice(0, Math.max(0, width - 1)).join("")}…`;
  return kept;
}
