/**
 * The canvas on screen: the rasteriser draws only the visible viewport into rows of cells and
 * Ink gets one <Text> per row, one text in it; a row whose content did not change is not
 * re-rendered, and the frame writer sends only the cells that changed.
 *
 * A row is handed over in as few coloured runs as look the same, since each colour change is an
 * escape sequence to write and to read back: tokens with the same colour share a run, blanks,
 * which show no foreground colour, join the run beside them, and the blanks at the end of a row
 * are left out.
 */
import { Box, styleText, Text } from "ink";
import { memo } from "react";
import type { RasterRow, RasterSegment } from "../../layout/index.js";
import { type Look, useLook } from "../theme.js";

interface Run {
  text: string;
  colour: string | undefined;
  bold: boolean;
}

const BLANK = /^ *$/;

/** The row's segments as the fewest runs of equal colour and weight that draw the same. */
export function colourRuns(segments: readonly RasterSegment[], look: Look): Run[] {
  const runs: Run[] = [];
  // Leading blanks wait for the first styled run and take its style.
  let pending = "";
  for (const s of segments) {
    const last = runs.at(-1);
    if (BLANK.test(s.text)) {
      if (last) last.text += s.text;
      else pending += s.text;
      continue;
    }
    const colour = look.colour(s.token);
    const bold = s.token === "node.selected";
    if (last && last.colour === colour && last.bold === bold) last.text += s.text;
    else {
      runs.push({ text: pending + s.text, colour, bold });
      pending = "";
    }
  }
  // Blanks at the end draw nothing that an empty cell does not: Ink need not measure them.
  // An all-blank row keeps one, so that it still takes its line.
  const last = runs.at(-1);
  if (last) last.text = last.text.trimEnd();
  else runs.push({ text: " ", colour: undefined, bold: false });
  return runs;
}

const Row = memo(
  function Row({ row, look }: { row: RasterRow; look: Look }) {
    // One text for the row, its runs styled as <Text color bold> would style them: Ink then
    // handles one text node per row instead of one per run.
    const text = colourRuns(row.segments, look)
      .map((run) => styleText(run.text, run.colour, run.bold))
      .join("");
    return <Text wrap="truncate">{text}</Text>;
  },
  (a, b) => a.row.key === b.row.key && a.look === b.look,
);

export function CanvasView({ rows }: { rows: RasterRow[] }) {
  const look = useLook();
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are screen lines, keyed by position
        <Row key={i} row={row} look={look} />
      ))}
    </Box>
  );
}
