/**
 * The canvas geometry of the workflow on screen, computed off the keystroke path: the layout
 * service (elk in a worker thread) runs only when the structure changes (`structureKey`), a
 * saved version's positions come from the store, and a provisional layout fills the gap.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { DesignerSession } from "../../app/designer/session.js";
import {
  type CellGeometry,
  type LayoutInput,
  type LayoutOptions,
  provisionalLayout,
  structureKey,
} from "../../layout/index.js";
import type { Workflow } from "../../spec/index.js";
import type { LayoutService } from "./layout-service.js";

/** Above this size a graph is shown at once with provisional positions while elk works. */
const PROVISIONAL_ABOVE = 60;

/** The id of the link drawn from a task to the compensation that undoes it (not a flow edge). */
export const undoLinkId = (task: string, compensation: string) => `${task}~>${compensation}`;
export const isUndoLink = (id: string) => id.includes("~>");

export function layoutInput(wf: Pick<Workflow, "nodes" | "edges">): LayoutInput {
  const ids = new Set(wf.nodes.map((n) => n.id));
  // A saga's compensations hang under the tasks they undo, on dashed links labelled "undo".
  const undoLinks = wf.nodes.flatMap((n) =>
    n.kind === "task" && n.compensation !== undefined && ids.has(n.compensation)
      ? [{ id: undoLinkId(n.id, n.compensation), from: n.id, to: n.compensation, label: "undo" }]
      : [],
  );
  return {
    nodes: wf.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.name ?? n.id })),
    edges: [
      ...wf.edges
        .filter((e) => ids.has(e.from) && ids.has(e.to))
        .map((e) => ({
          id: `${e.from}->${e.to}`,
          from: e.from,
          to: e.to,
          label:
            e.label ??
            (typeof e.condition === "boolean"
              ? String(e.condition)
              : e.condition !== undefined
                ? e.condition
                : e.default
                  ? "default"
                  : undefined),
        })),
      ...undoLinks,
    ],
  };
}

export const optionsKey = (o: LayoutOptions) => `${o.direction}-${o.density}`;

export function useGeometry(
  workflow: Workflow,
  options: LayoutOptions,
  deps: { service: LayoutService; session?: DesignerSession; savedHash?: string },
): { geometry: CellGeometry | undefined; pending: boolean } {
  const { nodes, edges } = workflow;
  const input = useMemo(() => layoutInput({ nodes, edges }), [nodes, edges]);
  const key = useMemo(() => structureKey(input, options), [input, options]);
  const [state, setState] = useState<
    { key: string; geometry: CellGeometry; final: boolean } | undefined
  >();
  const latest = useRef(key);
  latest.current = key;

  // The structure key stands for input and options; service, session and hash are fixed while
  // a workflow is open. Layout runs only when the key changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let cancelled = false;
    const show = (geometry: CellGeometry, final = true) => {
      if (!cancelled && latest.current === key) setState({ key, geometry, final });
    };
    if (input.nodes.length > PROVISIONAL_ABOVE || state === undefined)
      show(provisionalLayout(input, options), false);
    (async () => {
      const { service, session, savedHash } = deps;
      if (session && savedHash) {
        const cached = (await session
          .cachedLayout(savedHash, optionsKey(options))
          .catch(() => undefined)) as CellGeometry | undefined;
        if (cached && Array.isArray(cached.boxes)) return show(cached);
      }
      const geometry = await service.layout(input, options);
      show(geometry);
      if (session && savedHash)
        await session.cacheLayout(savedHash, optionsKey(options), geometry).catch(() => undefined);
    })().catch(() => {
      // elk failed: the provisional layout stays, which is a complete drawing.
      show(provisionalLayout(input, options));
    });
    return () => {
      cancelled = true;
    };
  }, [key]);

  // Pending until elk's (or the stored) positions replace the provisional ones.
  return { geometry: state?.geometry, pending: state?.key !== key || !state.final };
}
