/**
 * The designer's questions and prompts: confirmations before quitting, leaving or running with
 * unsaved changes, the answers to them (drafts, conflicts, overwrites), and what Enter in a
 * prompt does.
 */

import type { Command } from "../../../config/index.js";
import type { Workflow } from "../../../spec/index.js";
import { findNodes, isDirty } from "../../editor/index.js";
import { currentEditor } from "../workspace.js";
import { exportYaml, reloadTheirs, save, saveAs } from "./actions.js";
import { setField } from "./field-keys.js";
import { edit, type KeyContext, none, select, selectedNode, shownEditor } from "./key-context.js";
import type { ConfirmKind } from "./state.js";

/** Quitting or going back to the list asks first when there are unsaved changes. */
export function requestExit(ctx: KeyContext, kind: "quit" | "leave"): void {
  const dirty = ctx.ui().ws.docs.filter((d) => !d.readOnly && isDirty(d));
  if (dirty.length === 0) return ctx.emit({ type: kind === "quit" ? "quit" : "exit" });
  const names = dirty.map((d) => d.workflow.name).join(", ");
  const key = ctx.choiceKey;
  ctx.update((u) => ({
    ...u,
    mode: {
      type: "confirm",
      confirm: { kind },
      text:
        kind === "quit"
          ? `Unsaved changes in ${names} (kept as a draft, offered when you open it again). Quit? ${key("yes")} quits, any other key stays`
          : `Unsaved changes in ${names} (kept as a draft). Back to the list? ${key("yes")} leaves, any other key stays`,
    },
  }));
}

/** A run uses a saved version: say which, and offer to save unsaved changes first. */
export function requestRun(ctx: KeyContext): void {
  const ui = ctx.ui();
  const doc = currentEditor(ui.ws);
  const version = ui.past ? ui.past.baseVersion : doc.baseVersion;
  const name = (ui.past ?? doc).workflow.name;
  if (!ctx.canRun)
    return ctx.say(`runs are not available here; from a shell: weft run ${name}`, true);
  if (version === 0)
    return ctx.say(
      `${name} is not saved yet: save it (${ctx.keyOf("save", "canvas")}) first, runs use saved versions`,
      true,
    );
  if (ui.past || !isDirty(doc)) return ctx.emit({ type: "run", ref: `${name}@${version}` });
  ctx.update((u) => ({
    ...u,
    mode: {
      type: "confirm",
      confirm: { kind: "run", ref: `${name}@${version}` },
      text: `Unsaved changes: a run uses a saved version. ${ctx.choiceKey("yes")} runs v${version} as saved · ${ctx.choiceKey("save")} saves first · any other key stays`,
    },
  }));
}

/** The answer to a question: its own commands (`yes`, `discard`...); any other key says no. */
export function answerConfirm(
  ctx: KeyContext,
  confirm: ConfirmKind,
  command: Command | undefined,
): void {
  const yes = command === "yes";
  ctx.update((u) => ({ ...u, mode: none }));
  switch (confirm.kind) {
    case "quit":
      return yes ? ctx.emit({ type: "quit" }) : ctx.say("");
    case "leave":
      return yes ? ctx.emit({ type: "exit" }) : ctx.say("");
    case "run":
      if (yes) return ctx.emit({ type: "run", ref: confirm.ref });
      if (command === "save")
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
      // Discarding is its own key: Esc or a stray key must never lose the edits.
      if (command === "discard") {
        ctx.emit({ type: "dropDraft", name: confirm.workflow.name });
        return ctx.say("draft discarded");
      }
      return ctx.say(`draft kept: it is offered again when you open ${confirm.workflow.name}`);
    case "conflict":
      if (command === "reload") return reloadTheirs(ctx, confirm.name);
      if (command === "save")
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
function restoreDraft(ctx: KeyContext, workflow: Workflow): void {
  ctx.update((u) => {
    const ed = currentEditor(u.ws);
    const restored = { ...ed, workflow, past: [...ed.past, ed.workflow], future: [] };
    return {
      ...u,
      ws: { ...u.ws, docs: u.ws.docs.map((d, i) => (i === u.ws.current ? restored : d)) },
    };
  });
}

/** Esc in a prompt: it closes, and a find's marks go with it. */
export function cancelPrompt(ctx: KeyContext): void {
  const find = ctx.ui().mode;
  ctx.update((u) => ({
    ...u,
    mode: none,
    hits: find.type === "prompt" && find.prompt === "find" ? [] : u.hits,
  }));
  ctx.say("");
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
      const hits = findNodes(shownEditor(ui).workflow, text);
      ctx.update((u) => ({ ...u, hits }));
      if (hits.length === 0) return ctx.say(`no node matches “${text}”`, true);
      select(ctx, hits[0], true);
      return ctx.say(
        hits.length > 1
          ? `${hits.length} matches (marked); ${ctx.keyOf("back", "canvas")} clears them`
          : "",
      );
    }
    default:
      return;
  }
}
