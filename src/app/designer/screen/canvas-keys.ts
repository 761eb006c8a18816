/**
 * The canvas's keys: move the selection, find, centre, zoom and turn the layout, and the edits
 * made on the selected node or edge (add, delete, connect, duplicate, rename, open a child).
 */

import type { Command } from "../../../config/index.js";
import { nearestInDirection } from "../../../layout/index.js";
import { applyCommand, leave } from "../workspace.js";
import { openChild } from "./actions.js";
import { requestExit } from "./dialogs.js";
import {
  edit,
  type KeyContext,
  pastIsReadOnly,
  select,
  selectedNode,
  shownEditor,
} from "./key-context.js";

export function canvasKey(ctx: KeyContext, command: Command | undefined): void {
  const ui = ctx.ui();
  const editor = shownEditor(ui);
  const wf = editor.workflow;
  const from = selectedNode(ui);
  const geometry = ctx.geometry();
  const edits = ["addNode", "deleteNode", "connect", "duplicate", "rename", "selectEdge"];
  if (editor.readOnly && command && edits.includes(command))
    return ctx.say(
      ui.past ? pastIsReadOnly(ctx) : "this version is read-only: open the current one to edit",
      true,
    );
  switch (command) {
    case "moveUp":
    case "moveDown":
    case "moveLeft":
    case "moveRight": {
      if (!from) return select(ctx, wf.nodes[0]?.id);
      if (!geometry) return;
      const direction =
        command === "moveUp"
          ? "up"
          : command === "moveDown"
            ? "down"
            : command === "moveLeft"
              ? "left"
              : "right";
      const next = nearestInDirection(geometry, from, direction);
      return next ? select(ctx, next) : undefined;
    }
    case "nextNode":
    case "previousNode": {
      if (wf.nodes.length === 0) return;
      const index = wf.nodes.findIndex((n) => n.id === from);
      const step = command === "nextNode" ? 1 : -1;
      return select(ctx, wf.nodes[(index + step + wf.nodes.length) % wf.nodes.length]!.id);
    }
    case "centre":
      return select(ctx, from, true);
    case "find":
      return ctx.update((u) => ({
        ...u,
        mode: { type: "prompt", prompt: "find", label: "Find node", initial: "" },
      }));
    case "zoom":
      return ctx.update((u) => ({ ...u, density: u.density === "full" ? "compact" : "full" }));
    case "toggleDirection":
      return ctx.update((u) => ({
        ...u,
        direction: u.direction === "down" ? "right" : "down",
        view: { x: 0, y: 0 },
      }));
    case "back":
      if (ui.connectFrom) {
        ctx.update((u) => ({ ...u, connectFrom: undefined }));
        return ctx.say("not connected");
      }
      if (ui.past) {
        ctx.update((u) => ({ ...u, past: undefined }));
        return ctx.say("back to your edit");
      }
      if (ui.hits.length > 0) return ctx.update((u) => ({ ...u, hits: [] }));
      return requestExit(ctx, "leave");
    case "parent": {
      const back = leave(ui.ws);
      if (!back)
        return ctx.say(
          `this is the top workflow (${ctx.keyOf("back", "canvas")} goes back to the list)`,
        );
      return ctx.update((u) => ({ ...u, ws: back, view: { x: 0, y: 0 } }));
    }
    case "inspect":
    case "openChild": {
      if (ui.connectFrom) {
        const source = ui.connectFrom;
        ctx.update((u) => ({ ...u, connectFrom: undefined }));
        if (!from) return;
        return edit(ctx, { type: "connect", from: source, to: from });
      }
      const node = wf.nodes.find((n) => n.id === from);
      if (node?.kind === "subworkflow" && editor.selection?.type === "node")
        return openChild(ctx, node.workflow);
      if (command === "openChild")
        return ctx.say("select a sub-workflow node to open its workflow", true);
      return ctx.update((u) => ({
        ...u,
        panels: { ...u.panels, inspector: true },
        focus: "inspector",
        fieldCursor: 0,
      }));
    }
    case "addNode": {
      if (editor.selection?.type === "edge")
        return ctx.update((u) => ({ ...u, mode: { type: "palette", edge: editor.selection!.id } }));
      return ctx.update((u) => ({ ...u, mode: { type: "palette", after: from } }));
    }
    case "deleteNode": {
      const sel = editor.selection;
      if (!sel) return ctx.say("nothing selected", true);
      const fallback = wf.nodes[Math.max(0, wf.nodes.findIndex((n) => n.id === sel.id) - 1)]?.id;
      edit(
        ctx,
        sel.type === "node"
          ? { type: "deleteNode", id: sel.id }
          : { type: "deleteEdge", id: sel.id },
      );
      if (!shownEditor(ctx.ui()).selection && fallback)
        select(ctx, sel.type === "edge" ? sel.id.split("->")[0] : fallback);
      return;
    }
    case "connect":
      if (!from || editor.selection?.type !== "node")
        return ctx.say("select the node to connect from first", true);
      ctx.update((u) => ({ ...u, connectFrom: from }));
      return ctx.say(
        `connect ${from} → ? move to the target node and press ${ctx.keyOf("inspect", "canvas")} (${ctx.keyOf("back", "canvas")} cancels)`,
      );
    case "duplicate":
      if (!from) return;
      edit(ctx, { type: "duplicateNode", id: from });
      return select(ctx, selectedNode(ctx.ui()));
    case "rename":
      if (!from || editor.selection?.type !== "node")
        return ctx.say("select a node to rename", true);
      return ctx.update((u) => ({
        ...u,
        mode: { type: "prompt", prompt: "rename", label: `Rename ${from} to`, initial: from },
      }));
    case "selectEdge": {
      const anchor = editor.selection?.type === "edge" && ui.edgeAnchor ? ui.edgeAnchor : from;
      if (!anchor) return;
      const edges = [
        ...wf.edges.filter((e) => e.from === anchor),
        ...wf.edges.filter((e) => e.to === anchor),
      ].map((e) => `${e.from}->${e.to}`);
      if (edges.length === 0) return ctx.say(`${anchor} has no edges`, true);
      const at = editor.selection?.type === "edge" ? edges.indexOf(editor.selection.id) : -1;
      const id = edges[(at + 1) % edges.length]!;
      ctx.update((u) => ({
        ...u,
        edgeAnchor: anchor,
        ws: applyCommand(u.ws, { type: "select", selection: { type: "edge", id } }),
      }));
      return ctx.say(
        `edge ${id.replace("->", " → ")}: ${ctx.keyOf("deleteNode", "canvas")} deletes it, ${ctx.keyOf("addNode", "canvas")} inserts a node on it, ${ctx.keyOf("inspect", "canvas")} edits it`,
      );
    }
    default:
      return;
  }
}
