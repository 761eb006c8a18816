/**
 * The designer's answer to each command, by what has the focus: an open dialog first, then the
 * focused panel, then the canvas. Edits go through the editor reducer; the rest is view state.
 */

import type { Command, Context } from "../../../config/index.js";
import { editField } from "../../editor/text-field.js";
import { applyCommand, currentEditor, cycle } from "../workspace.js";
import { diffWithCurrent, openPast, showVersions } from "./actions.js";
import { canvasKey } from "./canvas-keys.js";
import { answerConfirm, cancelPrompt, requestExit, requestRun, submitPrompt } from "./dialogs.js";
import { inspectorKey, setField } from "./field-keys.js";
import { inspectorRows } from "./inspector-rows.js";
import {
  edit,
  type KeyContext,
  none,
  pastIsReadOnly,
  select,
  selectedNode,
  shownEditor,
} from "./key-context.js";
import { type DesignerUi, type Focus, PALETTE } from "./state.js";

const visiblePanels = (ui: DesignerUi): Focus[] => [
  "canvas",
  ...(ui.panels.inspector ? (["inspector"] as const) : []),
  ...(ui.panels.findings ? (["findings"] as const) : []),
  ...(ui.panels.palette ? (["palette"] as const) : []),
];

/** Which keymap context the designer's keys are read in: the open dialog, else the focus. */
export function designerContext(ui: DesignerUi): Context {
  switch (ui.mode.type) {
    case "busy":
    case "confirm":
      return "prompt";
    case "prompt":
      return "text";
    case "choice":
      return "choice";
    case "palette":
      return "palette";
    case "versions":
      return "versions";
    case "text":
      return "viewer";
    default:
      return ui.focus === "palette" ? "palettePanel" : ui.focus;
  }
}

export function handleKey(ctx: KeyContext, command: Command | undefined, typed?: string): void {
  const ui = ctx.ui();
  const mode = ui.mode;
  // Help opens over any list or question, which is still there when help closes; in a text
  // prompt the same keys type.
  if (command === "help" && mode.type !== "prompt" && mode.type !== "busy")
    return ctx.emit({ type: "help" });
  switch (mode.type) {
    case "busy":
      return;
    case "prompt": {
      // Keys that arrive in the same burst as the one that opened the prompt (`/notify` typed
      // fast, or over SSH) come here before the prompt is on screen: they edit its text.
      if (command === "back") return cancelPrompt(ctx);
      if (command === "submit") return submitPrompt(ctx, mode.initial);
      const edited = editField({ text: mode.initial, cursor: mode.initial.length }, command, typed);
      if (edited) ctx.update((u) => ({ ...u, mode: { ...mode, initial: edited.text } }));
      return;
    }
    case "confirm":
      return answerConfirm(ctx, mode.confirm, command);
    case "choice": {
      const choices = mode.field.choices ?? [];
      if (
        command === "moveDown" ||
        command === "moveUp" ||
        command === "nextNode" ||
        command === "previousNode"
      ) {
        const step = command === "moveDown" || command === "nextNode" ? 1 : -1;
        const cursor = (mode.cursor + step + choices.length) % choices.length;
        return ctx.update((u) => ({ ...u, mode: { ...mode, cursor } }));
      }
      if (command === "submit") {
        ctx.update((u) => ({ ...u, mode: none }));
        return setField(ctx, mode.field, choices[mode.cursor] ?? "");
      }
      if (command === "back") ctx.update((u) => ({ ...u, mode: none }));
      return;
    }
    case "palette": {
      const byLetter = PALETTE.findIndex((p) => p.command === command);
      let index: number | undefined;
      if (byLetter >= 0) index = byLetter;
      else if (command === "moveDown" || command === "moveUp") {
        const step = command === "moveDown" ? 1 : -1;
        return ctx.update((u) => ({
          ...u,
          paletteCursor: (u.paletteCursor + step + PALETTE.length) % PALETTE.length,
        }));
      } else if (command === "inspect") index = ui.paletteCursor;
      else if (command === "back") {
        ctx.update((u) => ({ ...u, mode: none, focus: "canvas" }));
        return ctx.say("");
      }
      if (index === undefined) return;
      const kind = PALETTE[index]!.kind;
      ctx.update((u) => ({ ...u, mode: none, focus: "canvas", paletteCursor: index }));
      edit(
        ctx,
        mode.edge
          ? { type: "insertOnEdge", id: mode.edge, kind }
          : { type: "addNode", kind, after: mode.after },
      );
      const added = selectedNode(ctx.ui());
      select(ctx, added);
      if (added && !ctx.ui().message?.error)
        ctx.say(
          `added ${added}${ctx.ui().panels.inspector ? "" : ` (selected: ${ctx.keyOf("inspect", "canvas")} shows its properties)`}`,
        );
      return;
    }
    case "versions": {
      const v = mode.versions[mode.cursor];
      if (command === "moveDown" || command === "moveUp") {
        const step = command === "moveDown" ? 1 : -1;
        const cursor = Math.max(0, Math.min(mode.versions.length - 1, mode.cursor + step));
        return ctx.update((u) => ({ ...u, mode: { ...mode, cursor } }));
      }
      if (command === "inspect" && v) return openPast(ctx, mode.name, v.version);
      if (command === "diffVersion" && v) return diffWithCurrent(ctx, mode.name, v.version);
      if (command === "back" || command === "versions") ctx.update((u) => ({ ...u, mode: none }));
      return;
    }
    case "text": {
      if (
        command === "moveDown" ||
        command === "moveUp" ||
        command === "pageDown" ||
        command === "pageUp"
      ) {
        const page = Math.max(1, ctx.viewport().height - 2);
        const step =
          command === "moveDown"
            ? 1
            : command === "moveUp"
              ? -1
              : command === "pageDown"
                ? page
                : -page;
        const scroll = Math.max(0, Math.min(mode.lines.length - 1, mode.scroll + step));
        return ctx.update((u) => ({ ...u, mode: { ...mode, scroll } }));
      }
      if (command === "back") ctx.update((u) => ({ ...u, mode: none }));
      return;
    }
    default:
      break;
  }

  // Commands that work whatever has the focus.
  switch (command) {
    case "help":
      return ctx.emit({ type: "help" });
    case "runs":
      return ctx.emit({ type: "runs", workflow: shownEditor(ui).workflow.name });
    case "workflowProperties":
      // The inspector shows the workflow's own fields when nothing is selected.
      ctx.update((u) =>
        u.past
          ? u
          : {
              ...u,
              ws: applyCommand(u.ws, { type: "select", selection: null }),
              panels: { ...u.panels, inspector: true },
              focus: "inspector",
              fieldCursor: 0,
            },
      );
      return ctx.say("workflow properties: parameters, defaults, limits, description");
    case "quit":
      return requestExit(ctx, "quit");
    case "save":
      if (ui.past) return ctx.say(pastIsReadOnly(ctx), true);
      return ctx.update((u) => ({
        ...u,
        mode: { type: "prompt", prompt: "save", label: "Save message", initial: "" },
      }));
    case "undo":
      return edit(ctx, { type: "undo" });
    case "redo":
      return edit(ctx, { type: "redo" });
    case "validate":
      ctx.update((u) => ({
        ...u,
        panels: { ...u.panels, findings: true },
        focus: "findings",
        findingCursor: 0,
      }));
      return ctx.say(
        ctx.findings().length === 0 ? "valid: no findings" : `${ctx.findings().length} finding(s)`,
      );
    case "run":
      return requestRun(ctx);
    case "toggleInspector":
    case "toggleFindings":
    case "togglePalette": {
      const panel =
        command === "toggleInspector"
          ? "inspector"
          : command === "toggleFindings"
            ? "findings"
            : "palette";
      const open = !ui.panels[panel];
      return ctx.update((u) => ({
        ...u,
        panels: { ...u.panels, [panel]: open },
        focus: open ? panel : u.focus === panel ? "canvas" : u.focus,
      }));
    }
    case "focusNext": {
      const panels = visiblePanels(ui);
      const next = panels[(panels.indexOf(ui.focus) + 1) % panels.length]!;
      return ctx.update((u) => ({ ...u, focus: next }));
    }
    case "export":
      return ctx.update((u) => ({
        ...u,
        mode: {
          type: "prompt",
          prompt: "export",
          label: "Export to",
          initial: `${currentEditor(u.ws).workflow.name}.yaml`,
        },
      }));
    case "versions":
      return showVersions(ctx);
    case "nextWorkflow":
    case "previousWorkflow":
      if (ui.ws.docs.length < 2)
        return ctx.say("this is the only workflow open (a file or its calls would add more)");
      ctx.update((u) => ({
        ...u,
        ws: cycle(u.ws, command === "nextWorkflow" ? 1 : -1),
        past: undefined,
        view: { x: 0, y: 0 },
      }));
      return;
    default:
      break;
  }

  if (ui.focus === "inspector") return inspectorKey(ctx, command);
  if (ui.focus === "findings") return findingsKey(ctx, command);
  if (ui.focus === "palette") {
    if (command === "back") return ctx.update((u) => ({ ...u, focus: "canvas" }));
    if (command === "inspect" || command === "addNode")
      return ctx.update((u) => ({ ...u, mode: { type: "palette", after: selectedNode(u) } }));
    if (command === "moveDown" || command === "moveUp") {
      const step = command === "moveDown" ? 1 : -1;
      return ctx.update((u) => ({
        ...u,
        paletteCursor: (u.paletteCursor + step + PALETTE.length) % PALETTE.length,
      }));
    }
    return;
  }
  canvasKey(ctx, command);
}

function findingsKey(ctx: KeyContext, command: Command | undefined): void {
  const ui = ctx.ui();
  const findings = ctx.findings();
  if (command === "moveDown" || command === "moveUp") {
    const step = command === "moveDown" ? 1 : -1;
    return ctx.update((u) => ({
      ...u,
      findingCursor: Math.max(0, Math.min(findings.length - 1, u.findingCursor + step)),
    }));
  }
  if (command === "back") return ctx.update((u) => ({ ...u, focus: "canvas" }));
  if (command !== "inspect") return;
  const finding = findings[Math.min(ui.findingCursor, findings.length - 1)];
  if (!finding) return;
  if (finding.nodeId) select(ctx, finding.nodeId, true);
  else if (finding.edgeId)
    ctx.update((u) => ({
      ...u,
      ws: applyCommand(u.ws, { type: "select", selection: { type: "edge", id: finding.edgeId! } }),
    }));
  else ctx.update((u) => ({ ...u, ws: applyCommand(u.ws, { type: "select", selection: null }) }));
  // Put the inspector's cursor on the field the finding is about (`nodes.3.retries.max`).
  const { rows } = inspectorRows(shownEditor(ctx.ui()));
  const fieldPath = finding.path.replace(/^(nodes|edges)\.\d+\.?/, "");
  const index = rows.findIndex(
    (r) =>
      fieldPath !== "" &&
      (fieldPath === r.path.join(".") || fieldPath.startsWith(`${r.path.join(".")}.`)),
  );
  ctx.update((u) => ({
    ...u,
    panels: { ...u.panels, inspector: true },
    focus: "inspector",
    fieldCursor: Math.max(0, index),
  }));
  ctx.say(`${finding.code}: ${finding.message}`, finding.severity === "error");
}
