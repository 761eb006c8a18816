/**
 * What the designer's handlers work with inside its reducer (reducer.ts): the state being
 * reduced (`ui`, `update`, `say`), the effects asked for (`emit`), what the screen measured, the
 * editor the canvas shows, and the two moves every handler makes (select a node, apply an edit).
 */

import { type CellGeometry, centreOn, scrollToShow } from "../../../layout/index.js";
import type { Finding } from "../../../spec/index.js";
import { applyCommand, currentEditor } from "../workspace.js";
import type { ActionContext } from "./actions.js";
import type { DesignerUi } from "./state.js";

export interface KeyContext extends ActionContext {
  geometry(): CellGeometry | undefined;
  viewport(): { width: number; height: number };
  findings(): Finding[];
  /** Runs and the runs list can be opened from here (the `run` and `runs` effects). */
  canRun: boolean;
}

export const none = { type: "none" } as const;

/** The editor the canvas shows: a past version open read-only, else the current workflow. */
export const shownEditor = (ui: DesignerUi) => ui.past ?? currentEditor(ui.ws);

export function selectedNode(ui: DesignerUi): string | undefined {
  const sel = shownEditor(ui).selection;
  if (sel?.type === "node") return sel.id;
  if (sel?.type === "edge") return sel.id.split("->")[0];
  return undefined;
}

export function select(ctx: KeyContext, id: string | undefined, centre = false): void {
  if (!id) return;
  const geometry = ctx.geometry();
  const size = ctx.viewport();
  ctx.update((u) => {
    const selection = { type: "node" as const, id };
    const moved = u.past
      ? { ...u, past: { ...u.past, selection } }
      : { ...u, ws: applyCommand(u.ws, { type: "select", selection }) };
    if (!geometry) return moved;
    const view = centre
      ? centreOn(geometry, id, size)
      : scrollToShow(geometry, id, { ...u.view, ...size });
    return { ...moved, view };
  });
}

/** Why an edit of a past version is refused, and the key that goes back to the edit. */
export const pastIsReadOnly = (ctx: ActionContext) =>
  `a past version is read-only: ${ctx.keyOf("back", "canvas")} returns to your edit`;

export function edit(ctx: KeyContext, command: Parameters<typeof applyCommand>[1]): void {
  const ui = ctx.ui();
  if (ui.past) return ctx.say(pastIsReadOnly(ctx), true);
  const ws = applyCommand(ui.ws, command);
  const notice = currentEditor(ws).notice;
  ctx.update((u) => ({ ...u, ws }));
  if (notice) ctx.say(notice.message, notice.level === "error");
  else ctx.say("");
}
