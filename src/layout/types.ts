/**
 * The values layout works on: a graph of labelled nodes in, integer character-cell geometry out.
 * Geometry is plain JSON (it is cached in Redis and posted between threads), so no classes.
 */

/** Top-to-bottom (the default) or left-to-right. */
export type Direction = "down" | "right";
/** Full boxes three rows high, or one-line nodes like `[T fetch]`. */
export type Density = "full" | "compact";
/** The kinds weft draws distinctly; layout accepts any string and draws unknown kinds plainly. */
export type NodeKind =
  | "task"
  | "decision"
  | "exclusive"
  | "parallel"
  | "delay"
  | "compensation"
  | "subworkflow";

export interface LayoutNode {
  id: string;
  kind: string;
  label: string;
}

export interface LayoutEdge {
  id: string;
  from: string;
  to: string;
  /** `"true"`/`"false"` on a decision's edges, a condition on an exclusive gateway's. */
  label?: string;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export interface LayoutOptions {
  direction: Direction;
  density: Density;
}

export interface Point {
  x: number;
  y: number;
}

/** A node's rectangle in cells: columns x..x+width-1, rows y..y+height-1. */
export interface Box {
  id: string;
  kind: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * An orthogonal polyline in cells. The first point is a cell of the source box's border, the
 * last a cell of the target box's border; the cell before the last point lies just outside the
 * target and holds the arrow head.
 */
export interface EdgeRoute {
  id: string;
  from: string;
  to: string;
  points: Point[];
  label?: { x: number; y: number; text: string };
}

export interface CellGeometry {
  width: number;
  height: number;
  options: LayoutOptions;
  boxes: Box[];
  edges: EdgeRoute[];
}

/** The part of the canvas on screen, in canvas cells. */
export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type CompassDirection = "up" | "down" | "left" | "right";

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = { direction: "down", density: "full" };
