/**
 * Layout: a workflow graph becomes integer character-cell geometry (elk, or a quick provisional
 * layout), and geometry becomes rows of text for any viewport. Pure: no I/O, colours or keys.
 */
export { textWidth } from "./cell-text.js";
export { kindToken } from "./draw-box.js";
export { layoutWithElk } from "./elk-layout.js";
export { ASCII, type GlyphSet, UNICODE } from "./glyphs.js";
export { boxOf, centreOn, nearestInDirection, scrollToShow } from "./navigation.js";
export { minimap, positionText } from "./overview.js";
export { provisionalLayout } from "./provisional-layout.js";
export { type RasterRow, type RasterSegment, type RasterStyle, rasterise } from "./rasterise.js";
export { structureKey } from "./structure-key.js";
export * from "./types.js";
