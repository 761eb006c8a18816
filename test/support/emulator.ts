/**
 * A headless terminal emulator (xterm.js) to write frames into and read the screen back: each
 * cell's text and its style, so two screens can be compared cell for cell.
 */
import xterm from "@xterm/headless";

export type Emulator = InstanceType<typeof xterm.Terminal>;

export function emulator(columns: number, rows: number): Emulator {
  return new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 0 });
}

/** Writes `data` and waits until the emulator has taken it in. */
export const feed = (term: Emulator, data: string) =>
  new Promise<void>((resolve) => term.write(data, resolve));

/** A frame drawn whole on a cleared screen: what the screen should look like after it. */
export const drawWhole = (term: Emulator, frame: string) =>
  feed(term, `\x1b[0m\x1b[H\x1b[2J${frame.replace(/\n$/, "").replace(/\n/g, "\r\n")}\x1b[0m`);

/**
 * The screen, a line per row: the row's text, then per cell its style where it is not the
 * default (`x:fg/bg/flags`). Two screens are the same when these lines are.
 */
export function screenLines(term: Emulator): string[] {
  const buffer = term.buffer.active;
  const cell = buffer.getNullCell();
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    let text = "";
    const styles: string[] = [];
    for (let x = 0; x < term.cols; x++) {
      line?.getCell(x, cell);
      const chars = cell.getChars();
      text += chars || (cell.getWidth() === 0 ? "" : " ");
      // On a blank, a colour or weight of the text shows nothing: only what a blank shows counts.
      const shows = chars.trim() !== "";
      const flags = [
        shows && cell.isBold() && "b",
        shows && cell.isDim() && "d",
        shows && cell.isItalic() && "i",
        cell.isUnderline() && "u",
        cell.isInverse() && "r",
        cell.isStrikethrough() && "s",
      ]
        .filter(Boolean)
        .join("");
      const fg =
        !shows || cell.isFgDefault() ? "" : `${cell.getFgColorMode()}.${cell.getFgColor()}`;
      const bg = cell.isBgDefault() ? "" : `${cell.getBgColorMode()}.${cell.getBgColor()}`;
      if (fg || bg || flags) styles.push(`${x}:${fg}/${bg}/${flags}`);
    }
    lines.push(`${text.trimEnd()}${styles.length > 0 ? `  ${styles.join(" ")}` : ""}`);
  }
  return lines;
}
