/**
 * The designer's answer to each command, by what has the focus: an open dialog first, then the
 * focused panel, then the canvas. Edits go through the editor reducer; the rest is view state.
 */
import { applyCommand, currentEditor, cycle, leave } from "../../../app/designer/workspace.js";
import {
  checkCelText,
  editText,
  type FieldRow,
  parseFieldText,
} from "../../../app/editor/field-list.js";
import { isDirty } from "../../../app/editor/index.js";
import type { Command } from "../../../config/index.js";
import {
  type CellGeometry,
  centreOn,
  nearestInDirection,
  scrollToShow,
} from "../../../layout/index.js";
import type { Finding } from "../../../spec/index.js";
import { editField } from "../../components/prompt.js";
import type { KeyPress } from "../../input/index.js";
import {
  type ActionContext,
  diffWithCurrent,
  exportYaml,
  openChild,
  openPast,
  reloadTheirs,
  save,
  saveAs,
  showVersions,
} from "./actions.js";
import { inspectorRows } from "./panels.js";
import { type DesignerUi, type Focus, PALETTE } from "./state.js";

export interface KeyContext extends ActionContext {
  geometry(): CellGeometry | undefined;
  viewport(): { width: number; height: number };
  findings(): Finding[];
  exit(): void;
  help(): void;
  quit(): void;
  /** Opens the run form for a saved version (`name@version`). */
  run?(ref: string): void;
  /** Opens the runs list, of this workflow. */
  runs?(workflow: string): void;
}

const none = { type: "none" } as const;

/** The editor the canvas shows: a past version open read-only, else the current workflow. */
export const shownEditor = (ui: DesignerUi) => ui.past ?? currentEditor(ui.ws);

function selectedNode(ui: DesignerUi): string | undefined {
  const sel = shownEditor(ui).selection;
  if (sel?.type === "node") return sel.id;
  if (sel?.type === "edge") return sel.id.split("->")[0];
  return undefined;
}

function select(ctx: KeyContext, id: string | undefined, centre = false): void {
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

function edit(ctx: KeyContext, command: Parameters<typeof applyCommand>[1]): void {
  const ui = ctx.ui();
  if (ui.past) return ctx.say("a past version is read-only: Esc returns to your edit", true);
  const ws = applyCommand(ui.ws, command);
  const notice = currentEditor(ws).notice;
  ctx.update((u) => ({ ...u, ws }));
  if (notice) ctx.say(notice.message, notice.level === "error");
  else ctx.say("");
}

const visiblePanels = (ui: DesignerUi): Focus[] => [
  "canvas",
  ...(ui.panels.inspector ? (["inspector"] as const) : []),
  ...(ui.panels.findings ? (["findings"] as const) : []),
  ...(ui.panels.palette ? (["palette"] as const) : []),
];

export function handleKey(ctx: KeyContext, command: Command | undefined, press: KeyPress): void {
  const ui = ctx.ui();
  const mode = ui.mode;
  switch (mode.type) {
    case "busy":
      return;
    case "prompt": {
      // Keys that arrive in the same burst as the one that opened the prompt (`/notify` typed
      // fast, or over SSH) come here before the prompt is on screen: they edit its text.
      if (press.name === "escape") {
        ctx.update((u) => ({ ...u, mode: none, hits: mode.prompt === "find" ? [] : u.hits }));
        return ctx.say("");
      }
      if (press.name === "return") return submitPrompt(ctx, mode.initial);
      const edited = editField({ text: mode.initial, cursor: mode.initial.length }, press);
      if (edited) ctx.update((u) => ({ ...u, mode: { ...mode, initial: edited.text } }));
      return;
    }
    case "confirm":
      return answerConfirm(ctx, mode.confirm, press);
    case "choice": {
      const choices = mode.field.choices ?? [];
      if (command === "moveDown" || command === "moveUp") {
        const step = command === "moveDown" ? 1 : -1;
        const cursor = (mode.cursor + step + choices.length) % choices.length;
        return ctx.update((u) => ({ ...u, mode: { ...mode, cursor } }));
      }
      if (command === "inspect") {
        ctx.update((u) => ({ ...u, mode: none }));
        return setField(ctx, mode.field, choices[mode.cursor] ?? "");
      }
      if (command === "back" || press.name === "escape") ctx.update((u) => ({ ...u, mode: none }));
      return;
    }
    case "palette": {
      const byLetter = PALETTE.findIndex((p) => p.letter === press.name);
      let index: number | undefined;
      if (byLetter >= 0) index = byLetter;
      else if (command === "moveDown" || command === "moveUp") {
        const step = command === "moveDown" ? 1 : -1;
        return ctx.update((u) => ({
          ...u,
          paletteCursor: (u.paletteCursor + step + PALETTE.length) % PALETTE.length,
        }));
      } else if (command === "inspect") index = ui.paletteCursor;
      else if (command === "back" || press.name === "escape") {
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
      return select(ctx, selectedNode(ctx.ui()));
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
        press.name === "pagedown" ||
        press.name === "pageup"
      ) {
        const page = Math.max(1, ctx.viewport().height - 2);
        const step =
          command === "moveDown"
            ? 1
            : command === "moveUp"
              ? -1
              : press.name === "pagedown"
                ? page
                : -page;
        const scroll = Math.max(0, Math.min(mode.lines.length - 1, mode.scroll + step));
        return ctx.update((u) => ({ ...u, mode: { ...mode, scroll } }));
      }
      if (command === "back" || command === "quit" || press.name === "escape")
        ctx.update((u) => ({ ...u, mode: none }));
      return;
    }
    default:
      break;
  }

  // Commands that work whatever has the focus.
  switch (command) {
    case "help":
      return ctx.help();
    case "runs":
      return ctx.runs?.(shownEditor(ui).workflow.name);
    case "quit":
      return requestQuit(ctx);
    case "save":
      if (ui.past) return ctx.say("a past version is read-only: Esc returns to your edit", true);
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

  if (ui.focus === "inspector") return inspectorKey(ctx, command, press);
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

function canvasKey(ctx: KeyContext, command: Command | undefined): void {
  const ui = ctx.ui();
  const editor = shownEditor(ui);
  const wf = editor.workflow;
  const from = selectedNode(ui);
  const geometry = ctx.geometry();
  const edits = ["addNode", "deleteNode", "connect", "duplicate", "rename", "selectEdge"];
  if (editor.readOnly && command && edits.includes(command))
    return ctx.say(
      ui.past
        ? "a past version is read-only: Esc returns to your edit"
        : "this version is read-only: open the current one to edit",
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
      return requestLeave(ctx);
    case "parent": {
      const back = leave(ui.ws);
      if (!back) return ctx.say("this is the top workflow (Esc goes back to the list)");
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
      return ctx.say(`connect ${from} → ? move to the target node and press Enter (Esc cancels)`);
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
        `edge ${id.replace("->", " → ")}: d deletes it, n inserts a node on it, Enter edits it`,
      );
    }
    default:
      return;
  }
}

function inspectorKey(ctx: KeyContext, command: Command | undefined, press: KeyPress): void {
  const ui = ctx.ui();
  const { rows } = inspectorRows(shownEditor(ui));
  const cursor = Math.min(ui.fieldCursor, rows.length - 1);
  if (command === "moveDown" || command === "moveUp") {
    const step = command === "moveDown" ? 1 : -1;
    return ctx.update((u) => ({
      ...u,
      fieldCursor: Math.max(0, Math.min(rows.length - 1, cursor + step)),
    }));
  }
  if (command === "back") return ctx.update((u) => ({ ...u, focus: "canvas" }));
  if (command !== "inspect" && press.name !== "space") return;
  const field = rows[cursor];
  if (!field) return;
  if (ui.past) return ctx.say("a past version is read-only", true);
  beginFieldEdit(ctx, field);
}

export function beginFieldEdit(ctx: KeyContext, field: FieldRow): void {
  const ui = ctx.ui();
  if (field.kind === "id") {
    if (field.path[0] === "id")
      return ctx.update((u) => ({
        ...u,
        mode: {
          type: "prompt",
          prompt: "rename",
          label: `Rename ${String(field.value)} to`,
          initial: String(field.value),
        },
      }));
    return ctx.say(
      field.path[0] === "kind"
        ? "a node's kind is fixed: add a node of the other kind"
        : "delete the edge and connect again to move it",
      true,
    );
  }
  if (field.kind === "toggle") return setField(ctx, field, !field.value);
  if (field.kind === "choice") {
    const choices = field.choices ?? [];
    const cursor = Math.max(0, choices.indexOf(String(field.value ?? "")));
    return ctx.update((u) => ({ ...u, mode: { type: "choice", field, cursor } }));
  }
  void ui;
  ctx.update((u) => ({
    ...u,
    mode: { type: "prompt", prompt: "field", label: field.label, initial: editText(field), field },
  }));
}

/** Sets one field of the selection through the reducer, which checks it against the schema. */
export function setField(ctx: KeyContext, field: FieldRow, value: unknown): void {
  const sel = shownEditor(ctx.ui()).selection;
  let parsed: unknown = value;
  if (typeof value === "string" && field.kind !== "choice") {
    const result = parseFieldText(field, value);
    if (!result.ok) return ctx.say(`${field.label}: ${result.reason}`, true);
    parsed = result.value;
  } else if (field.kind === "choice") {
    const result = parseFieldText(field, String(value));
    parsed = result.ok ? result.value : value;
  }
  if (sel?.type === "node")
    edit(ctx, { type: "setNodeField", id: sel.id, path: field.path, value: parsed });
  else if (sel?.type === "edge")
    edit(ctx, { type: "setEdgeField", id: sel.id, path: field.path, value: parsed });
  else edit(ctx, { type: "setWorkflowField", path: field.path, value: parsed });
  const notice = shownEditor(ctx.ui()).notice;
  if (notice?.level !== "error") ctx.say(`${field.label} set`);
  else ctx.say(`${field.label}: ${notice.message}`, true);
}

/** The live check of a field prompt: CEL parsed and typed as it is typed. */
export function fieldProblem(ui: DesignerUi, field: FieldRow, text: string): string | undefined {
  if (field.kind === "cel") {
    const problem = checkCelText(shownEditor(ui).workflow, text);
    return problem ? `column ${problem.column}: ${problem.message}` : undefined;
  }
  const parsed = parseFieldText(field, text);
  return parsed.ok ? undefined : parsed.reason;
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

function requestQuit(ctx: KeyContext): void {
  const dirty = ctx.ui().ws.docs.filter((d) => !d.readOnly && isDirty(d));
  if (dirty.length === 0) return ctx.quit();
  ctx.update((u) => ({
    ...u,
    mode: {
      type: "confirm",
      confirm: { kind: "quit" },
      text: `Unsaved changes in ${dirty.map((d) => d.workflow.name).join(", ")} (kept as a draft, offered when you open it again). Quit? y quits, any other key stays`,
    },
  }));
}

function requestLeave(ctx: KeyContext): void {
  const dirty = ctx.ui().ws.docs.filter((d) => !d.readOnly && isDirty(d));
  if (dirty.length === 0) return ctx.exit();
  ctx.update((u) => ({
    ...u,
    mode: {
      type: "confirm",
      confirm: { kind: "leave" },
      text: `Unsaved changes in ${dirty.map((d) => d.workflow.name).join(", ")} (kept as a draft). Back to the list? y leaves, any other key stays`,
    },
  }));
}

/** A run uses a saved version: say which, and offer to save unsaved changes first. */
function requestRun(ctx: KeyContext): void {
  const ui = ctx.ui();
  const doc = currentEditor(ui.ws);
  const version = ui.past ? ui.past.baseVersion : doc.baseVersion;
  const name = (ui.past ?? doc).workflow.name;
  if (!ctx.run) return ctx.say(`runs are not available here; from a shell: weft run ${name}`, true);
  if (version === 0)
    return ctx.say(`${name} is not saved yet: save it (F10) first, runs use saved versions`, true);
  if (ui.past || !isDirty(doc)) return ctx.run(`${name}@${version}`);
  ctx.update((u) => ({
    ...u,
    mode: {
      type: "confirm",
      confirm: { kind: "run", ref: `${name}@${version}` },
      text: `Unsaved changes: a run uses a saved version. y runs v${version} as saved · s saves first · any other key stays`,
    },
  }));
}

function answerConfirm(
  ctx: KeyContext,
  confirm: import("./state.js").ConfirmKind,
  press: KeyPress,
): void {
  const yes = press.name === "y";
  ctx.update((u) => ({ ...u, mode: none }));
  switch (confirm.kind) {
    case "quit":
      return yes ? ctx.quit() : ctx.say("");
    case "leave":
      return yes ? ctx.exit() : ctx.say("");
    case "run":
      if (yes) return ctx.run?.(confirm.ref);
      if (press.name === "s")
        return ctx.update((u) => ({
          ...u,
          mode: { type: "prompt", prompt: "save", label: "Save message", initial: "" },
        }));
      return ctx.say("");
    case "overwrite":
      return yes ? exportYaml(ctx, confirm.path, true) : ctx.say("not exported");
    case "draft":
      if (yes) {
        ctx.update((u) => ({
          ...u,
          ws: {
            ...u.ws,
            docs: u.ws.docs.map((d, i) =>
              i === u.ws.current ? { ...d, baseVersion: confirm.baseVersion } : d,
            ),
          },
        }));
        restoreDraft(ctx, confirm.workflow);
        return ctx.say("restored your unsaved changes (u undoes them)");
      }
      void ctx.session.dropDraft(currentEditor(ctx.ui().ws).workflow.name);
      return ctx.say("draft discarded");
    case "conflict":
      if (press.name === "r") return reloadTheirs(ctx, confirm.name);
      if (press.name === "s")
        return ctx.update((u) => ({
          ...u,
          mode: {
            type: "prompt",
            prompt: "saveAs",
            label: "Save as new workflow",
            initial: `${confirm.name}-copy`,
          },
        }));
      return ctx.say("not saved: your edit is still here");
    default:
      return;
  }
}

/** Puts a draft's workflow in place as one undoable edit. */
function restoreDraft(ctx: KeyContext, workflow: import("../../../spec/index.js").Workflow): void {
  ctx.update((u) => {
    const ed = currentEditor(u.ws);
    const restored = { ...ed, workflow, past: [...ed.past, ed.workflow], future: [] };
    return {
      ...u,
      ws: { ...u.ws, docs: u.ws.docs.map((d, i) => (i === u.ws.current ? restored : d)) },
    };
  });
}

/** What Enter in a prompt does. */
export function submitPrompt(ctx: KeyContext, text: string): void {
  const ui = ctx.ui();
  if (ui.mode.type !== "prompt") return;
  const { prompt, field } = ui.mode;
  ctx.update((u) => ({ ...u, mode: none }));
  switch (prompt) {
    case "save":
      return save(ctx, text);
    case "saveAs":
      return saveAs(ctx, text);
    case "export":
      return exportYaml(ctx, text);
    case "rename": {
      const from = selectedNode(ui);
      if (from && text !== from) edit(ctx, { type: "renameNode", id: from, to: text });
      return;
    }
    case "field":
      if (field) setField(ctx, field, text);
      return;
    case "find": {
      const hits = findNodes(ui, text);
      ctx.update((u) => ({ ...u, hits }));
      if (hits.length === 0) return ctx.say(`no node matches “${text}”`, true);
      select(ctx, hits[0], true);
      return ctx.say(hits.length > 1 ? `${hits.length} matches (marked); Esc clears them` : "");
    }
    default:
      return;
  }
}

export function findNodes(ui: DesignerUi, text: string): string[] {
  const needle = text.trim().toLowerCase();
  if (needle === "") return [];
  const nodes = shownEditor(ui).workflow.nodes;
  const exact = nodes.filter((n) => n.id === needle).map((n) => n.id);
  const partial = nodes
    .filter(
      (n) =>
        n.id !== needle && (n.id.includes(needle) || (n.name ?? "").toLowerCase().includes(needle)),
    )
    .map((n) => n.id);
  return [...exact, ...partial];
}
