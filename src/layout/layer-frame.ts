/**
 * Layers run down the screen or across it. Code that places layers works in a frame where
 * `along` is the layer axis and `across` the axis inside a layer, then maps to screen cells:
 * down is (x, y) = (across, along), right is (x, y) = (along, across).
 */
import type { Box, Direction, Point } from "./types.js";

export interface FramePoint {
  across: number;
  along: number;
}

export interface FrameRect extends FramePoint {
  acrossSize: number;
  alongSize: number;
}

export const toScreen = (p: FramePoint, direction: Direction): Point =>
  direction === "down" ? { x: p.across, y: p.along } : { x: p.along, y: p.across };

export const toFrameRect = (box: Box, direction: Direction): FrameRect =>
  direction === "down"
    ? { across: box.x, along: box.y, acrossSize: box.width, alongSize: box.height }
    : { across: box.y, along: box.x, acrossSize: box.height, alongSize: box.width };

/** Screen size of a box whose size in the frame is given. */
export const screenSize = (acrossSize: number, alongSize: number, direction: Direction) =>
  direction === "down"
    ? { width: acrossSize, height: alongSize }
    : { width: alongSize, height: acrossSize };

/** The middle cell across a box: where its edges leave and arrive. */
export const acrossCentre = (r: FrameRect): number => r.across + Math.floor(r.acrossSize / 2);
