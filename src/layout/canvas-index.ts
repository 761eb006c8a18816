/**
 * A spatial index over one geometry, built once and kept per geometry object, so drawing a
 * viewport looks only at the boxes, route legs, arrows and labels in the tiles it overlaps.
 */
import { MAX_EDGE_LABEL_COLUMNS } from "./node-size.js";
import { arrowCell } from "./route-cells.js";
import type { CellGeometry, Point } from "./types.js";

const TILE_WIDTH = 64;
const TILE_HEIGHT = 16;

/** A straight piece of a route, drawn from (x0,y0) to (x1,y1) inclusive. */
export interface Leg {
  edge: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Arrow {
  edge: number;
  x: number;
  y: number;
  direction: "up" | "down" | "left" | "right";
}

export interface Tile {
  boxes: number[];
  legs: number[];
  arrows: number[];
  labels: number[];
}

export interface CanvasIndex {
  legs: Leg[];
  arrows: Arrow[];
  /** Edge indices that have a label. */
  labelled: number[];
  boxIndexById: Map<string, number>;
  tiles: Map<number, Tile>;
}

const cache = new WeakMap<CellGeometry, CanvasIndex>();

/** The index of a geometry; geometry values are treated as immutable once laid out. */
export function canvasIndex(geometry: CellGeometry): CanvasIndex {
  let index = cache.get(geometry);
  if (!index) {
    index = buildIndex(geometry);
    cache.set(geometry, index);
  }
  return index;
}

// Tiles are keyed by one number; 2^20 tile columns is far beyond any canvas.
const tileKey = (tx: number, ty: number) => ty * 1048576 + tx;

/** Calls `visit` with each tile key overlapping the cell rectangle. */
function forEachTile(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  visit: (key: number) => void,
): void {
  const tx0 = Math.floor(Math.max(0, x0) / TILE_WIDTH);
  const tx1 = Math.floor(Math.max(0, x1) / TILE_WIDTH);
  const ty0 = Math.floor(Math.max(0, y0) / TILE_HEIGHT);
  const ty1 = Math.floor(Math.max(0, y1) / TILE_HEIGHT);
  for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) visit(tileKey(tx, ty));
}

/** Calls `visit` with each non-empty tile overlapping the cell rectangle. */
export function forEachTileIn(
  index: CanvasIndex,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  visit: (tile: Tile) => void,
): void {
  if (x1 < 0 || y1 < 0) return;
  forEachTile(x0, y0, x1, y1, (key) => {
    const tile = index.tiles.get(key);
    if (tile) visit(tile);
  });
}

function buildIndex(geometry: CellGeometry): CanvasIndex {
  const tiles = new Map<number, Tile>();
  const add = (kind: keyof Tile, item: number, x0: number, y0: number, x1: number, y1: number) =>
    forEachTile(x0, y0, x1, y1, (key) => {
      let tile = tiles.get(key);
      if (!tile) {
        tile = { boxes: [], legs: [], arrows: [], labels: [] };
        tiles.set(key, tile);
      }
      tile[kind].push(item);
    });

  const boxIndexById = new Map<string, number>();
  geometry.boxes.forEach((b, i) => {
    boxIndexById.set(b.id, i);
    add("boxes", i, b.x, b.y, b.x + b.width - 1, b.y + b.height - 1);
  });

  const legs: Leg[] = [];
  const arrows: Arrow[] = [];
  const labelled: number[] = [];
  geometry.edges.forEach((route, edge) => {
    const points = route.points;
    if (points.length < 2) return;
    const arrow = arrowCell(points);
    // The last point is the target's border cell: the route stops at the arrow just before it.
    const drawn: Point[] = [...points.slice(0, -1), arrow];
    for (let i = 1; i < drawn.length; i++) {
      const a = drawn[i - 1]!;
      const b = drawn[i]!;
      if (a.x === b.x && a.y === b.y) continue;
      legs.push({ edge, x0: a.x, y0: a.y, x1: b.x, y1: b.y });
      add(
        "legs",
        legs.length - 1,
        Math.min(a.x, b.x),
        Math.min(a.y, b.y),
        Math.max(a.x, b.x),
        Math.max(a.y, b.y),
      );
    }
    arrows.push({ edge, ...arrow, direction: pointing(arrow, points[points.length - 1]!) });
    add("arrows", arrows.length - 1, arrow.x, arrow.y, arrow.x, arrow.y);
    if (route.label) {
      labelled.push(edge);
      const { x, y } = route.label;
      add("labels", labelled.length - 1, x, y, x + MAX_EDGE_LABEL_COLUMNS - 1, y);
    }
  });
  return { legs, arrows, labelled, boxIndexById, tiles };
}

function pointing(from: Point, to: Point): Arrow["direction"] {
  if (to.y > from.y) return "down";
  if (to.y < from.y) return "up";
  return to.x < from.x ? "left" : "right";
}
