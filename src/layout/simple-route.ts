/**
 * A plain route between two placed boxes, used by the provisional layout and whenever an elk
 * route cannot be made sound on the cell grid. Forward edges drop out of the source, run along
 * one channel in the gap and drop into the target; edges pointing back (cycles, same layer,
 * self-loops) go round the right-hand side of both boxes and come into the target from before.
 */
import { acrossCentre, type FramePoint, toFrameRect, toScreen } from "./layer-frame.js";
import { simplify } from "./route-cells.js";
import type { Box, Direction, Point } from "./types.js";

export function simpleRoute(source: Box, target: Box, direction: Direction): Point[] {
  const s = toFrameRect(source, direction);
  const t = toFrameRect(target, direction);
  const sourceEnd = s.along + s.alongSize; // first cell past the source
  const from = acrossCentre(s);
  const to = acrossCentre(t);
  const gap = t.along - sourceEnd;
  let frame: FramePoint[];
  if (gap >= 2) {
    // The channel right below the source, so a long edge's run across is not hidden by a layer.
    const channel = sourceEnd + Math.min(1, Math.floor((gap - 1) / 2));
    frame = [
      { across: from, along: sourceEnd - 1 },
      { across: from, along: channel },
      { across: to, along: channel },
      { across: to, along: t.along },
    ];
  } else {
    const lane = Math.max(s.across + s.acrossSize, t.across + t.acrossSize) + 1;
    frame = [
      { across: from, along: sourceEnd - 1 },
      { across: from, along: sourceEnd },
      { across: lane, along: sourceEnd },
      { across: lane, along: t.along - 2 },
      { across: to, along: t.along - 2 },
      { across: to, along: t.along },
    ];
  }
  return simplify(frame.map((p) => toScreen(p, direction)));
}
