/** What the caller decides about a drawing: glyph set, selection, marks, tokens and badges. */
import type { GlyphSet } from "./glyphs.js";

export interface RasterStyle {
  glyphs: GlyphSet;
  /** Id of the selected node: drawn with double lines. */
  selected?: string;
  /** Nodes to pick out, e.g. the source of a new edge or search hits: drawn with heavy lines. */
  marked?: ReadonlySet<string>;
  /**
   * Token for a node's kind glyph, badge and (unless selected or marked, which use
   * `node.selected`) border. Without it: `node.task`, `node.gateway`, … by kind for the glyph,
   * `node.border` for the border, `text.secondary` for the badge.
   */
  nodeToken?: (id: string) => string;
  /** Short text drawn on the node's top border (full) or just after it (compact), e.g. "✓ 2×". */
  nodeBadge?: (id: string) => string | undefined;
  /** Token for a route; default `edge.line`. */
  edgeToken?: (edgeId: string) => string;
}
