/**
 * A short stable key of everything that changes a layout (ids, kinds, labels, edges and their
 * labels, their order, the options) and nothing else, so callers cache geometry by it and an
 * edit to a timeout or a handler never lays the graph out again.
 */
import type { LayoutInput, LayoutOptions } from "./types.js";

/** Two independent 32-bit FNV-1a style hashes over the same text: 64 bits, collisions negligible. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

export function structureKey(input: LayoutInput, options: LayoutOptions): string {
  // JSON quotes every string, so no id or label can pass for a boundary between two others.
  const text = JSON.stringify([
    options.direction,
    options.density,
    input.nodes.map((n) => [n.id, n.kind, n.label]),
    input.edges.map((e) => [e.id, e.from, e.to, e.label ?? null]),
  ]);
  return `${input.nodes.length}.${input.edges.length}.${text.length}.${hash64(text)}`;
}
