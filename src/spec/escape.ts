/**
 * Someone else's text echoed in a message or a table (a name, an id, a value): control
 * characters are shown escaped, so a newline or a terminal escape sequence in it cannot forge
 * a line or repaint the screen. Shared by spec (findings) and cli (tables, errors).
 */

/** `\n`, `\x1b` and every other control character (C0, DEL, C1) written as a visible escape. */
export function escapeControl(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}
