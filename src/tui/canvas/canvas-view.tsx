/**
 * The canvas on screen: the rasteriser draws only the visible viewport into rows of cells and
 * Ink gets one <Text> per row; a row whose content did not change is not re-rendered.
 *
 * Ink redraws every character of the screen on each frame, and its cost grows with the number
 * of colour changes in a row (each is an escape sequence it tokenises and measures again), so a
 * row is handed over in as few coloured runs as look the same: tokens with the same colour share
 * a run, blanks, which show no foreground colour, join the run beside them, and the blanks at
 * the end of a row are left out.
 */
import { Box, Text } from "ink";
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
    return (
      <Text wrap="truncate">
        {colourRuns(row.segments, look).map((run, i) =>
          run.colour === undefined && !run.bold ? (
            run.text
          ) : (
            // Runs of a row never reorder: the index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Text key={i} color={run.colour} bold={run.bold}>
              {run.text}
            </Text>
          ),
        )}
      </Text>
    );
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
