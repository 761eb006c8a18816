/**
 * The careful layout: elk's layered algorithm, snapped to cells. elk computes in the calling
 * thread (up to seconds for thousands of nodes), so the TUI runs this in a worker thread
 * (src/tui/canvas/layout-service.ts) and shows provisionalLayout meanwhile.
 *
 * elk is loaded on the first layout, not with this module: its compiled bundle takes ~45 MB of
 * memory once loaded, and the designer's main thread, which imports layout for everything
 * else, never lays out with elk unless the worker cannot start.
 */
import type { ELK } from "elkjs/lib/elk-api.js";
import { toElkGraph } from "./elk-graph.js";
import { elkToCells } from "./elk-to-cells.js";
import { sizeGraph } from "./sized-graph.js";
import type { CellGeometry, LayoutInput, LayoutOptions } from "./types.js";

let elk: Promise<ELK> | undefined;

function loadElk(): Promise<ELK> {
  // A CommonJS module whose exports object is the constructor and also carries itself as
  // `default`: the one spelling that both NodeNext typing and Node's interop agree on.
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default.default());
  return elk;
}

export async function layoutWithElk(
  input: LayoutInput,
  options: LayoutOptions,
): Promise<CellGeometry> {
  const sized = sizeGraph(input, options);
  if (sized.nodes.length === 0) return { width: 0, height: 0, options, boxes: [], edges: [] };
  const laid = await (await loadElk()).layout(toElkGraph(sized, options));
  return elkToCells(laid, sized, options);
}
