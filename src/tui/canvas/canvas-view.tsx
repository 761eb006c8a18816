/**
 * The canvas on screen: the rasteriser draws only the visible viewport into rows of cells and
 * Ink gets one <Text> per row; a row whose content did not change is not re-rendered.
 */
import { Box, Text } from "ink";
import { memo } from "react";
import type { RasterRow } from "../../layout/index.js";
import { type Look, useLook } from "../theme.js";

const Row = memo(
  function Row({ row, look }: { row: RasterRow; look: Look }) {
    return (
      <Text wrap="truncate">
        {row.segments.map((s, i) => (
          <Text
            // Segments of a row never reorder: the index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={i}
            color={look.colour(s.token)}
            bold={s.token === "node.selected"}
          >
            {s.text}
          </Text>
        ))}
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
