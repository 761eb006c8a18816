/**
 * The designer's actions that reach the store or the file system: save (with conflicts), save as
 * a new name, export, versions, open a child. Each asks for an effect (the screen runs it) and
 * handles its outcome (an action the effect dispatches back), reporting what it did as the
 * screen's message.
 */

import type { Command, Context } from "../../../config/index.js";
import {
  diffWorkflows,
  formatDiff,
  parseWorkflowRef,
  WorkflowSchema,
} from "../../../spec/index.js";
import type { StoredVersion } from "../../../store/index.js";
import { createEditor, reduce } from "../../editor/index.js";
import { isEmptyDiff, type SaveOutcome } from "../session.js";
import {
  applyCommand,
  currentEditor,
  dirtyEditors,
  enter,
  indexOf,
  replaceCurrent,
} from "../workspace.js";
import type { DesignerEffect, DesignerOutcome, LoadPurpose } from "./effects.js";
import type { DesignerUi } from "./state.js";

export interface ActionContext {
  ui(): DesignerUi;
  update(change: (ui: DesignerUi) => DesignerUi): void;
  say(text: string, error?: boolean): void;
  /** Asks for an effect, run once the action is reduced. */
  emit(effect: DesignerEffect): void;
  /** The key that answers a question with `command` (`yes` → `y`), for the question's text. */
  choiceKey(command: Command): string;
  /** The key that gives `command` in `context` (`save` → `F10`), for a hint's text. */
  keyOf(command: Command, context: Context): string;
}

const failed = (ctx: ActionContext, message: string) => {
  ctx.update((u) => ({ ...u, mode: { type: "none" } }));
  ctx.say(message, true);
};

/** Saves every edited workflow of the workspace as one unit. */
export function save(ctx: ActionContext, message: string): void {
  const ws = ctx.ui().ws;
  const dirty = dirtyEditors(ws);
  const targets = dirty.length > 0 ? dirty : [currentEditor(ws)];
  if (targets.some((t) => t.readOnly)) return ctx.say("a past version is read-only", true);
  ctx.update((u) => ({ ...u, mode: { type: "busy", text: "saving…" } }));
  ctx.emit({
    type: "save",
    workflows: targets.map((t) => t.workflow),
    parents: new Map(targets.map((t) => [t.workflow.name, t.baseVersion])),
    message,
  });
}

function saved(ctx: ActionContext, outcome: SaveOutcome): void {
  if (outcome.kind === "invalid") {
    ctx.update((u) => ({
      ...u,
      mode: { type: "none" },
      panels: { ...u.panels, findings: true },
      focus: "findings",
    }));
    const errors = outcome.findings.filter((f) => f.severity === "error");
    return ctx.say(
      `not saved: ${errors.length} error(s) to fix first (listed in the validator)`,
      true,
    );
  }
  if (outcome.kind === "conflict") {
    const diff = formatDiff(outcome.diff, {
      before: `your base`,
      after: `${outcome.theirs.name}@${outcome.theirs.version}`,
    });
    return ctx.update((u) => ({
      ...u,
      mode: {
        type: "confirm",
        confirm: { kind: "conflict", name: outcome.theirs.name },
        text: `${outcome.theirs.name} changed since you opened it: v${outcome.theirs.version} saved by ${outcome.theirs.author || "someone"}.\nTheir changes:\n${diff}\n${ctx.choiceKey("reload")} reloads their version (your edit stays as a draft) · ${ctx.choiceKey("save")} saves yours under a new name · ${ctx.choiceKey("back")} keeps editing`,
      },
    }));
  }
  const byName = new Map(outcome.saved.map((s) => [s.name, s]));
  ctx.update((u) => {
    const docs = u.ws.docs.map((d) => {
      const one = byName.get(d.workflow.name);
      return one ? reduce(d, { type: "saved", version: one.version }) : d;
    });
    return { ...u, ws: { ...u.ws, docs }, mode: { type: "none" } };
  });
  ctx.emit({ type: "refreshStored" });
  ctx.say(
    outcome.kind === "unchanged"
      ? `no changes: ${outcome.saved.map((s) => `${s.name} is still v${s.version}`).join(", ")}`
      : `saved ${outcome.saved
          .filter((s) => s.created)
          .map((s) => `${s.name} as v${s.version}`)
          .join(", ")}`,
  );
}

/** After a conflict: take their version (yours stays as a draft until the next save). */
export function reloadTheirs(ctx: ActionContext, name: string): void {
  const editor = ctx.ui().ws.docs.find((d) => d.workflow.name === name);
  if (editor)
    ctx.emit({
      type: "saveDraft",
      workflow: editor.workflow,
      baseVersion: editor.baseVersion,
      host: "conflict",
    });
  ctx.emit({ type: "load", ref: name, purpose: { for: "reload" } });
}

/** Renames the current workflow and saves it as a new workflow (parent 0). */
export function saveAs(ctx: ActionContext, newName: string): void {
  ctx.update((u) => {
    const ed = currentEditor(u.ws);
    const renamed = applyCommand(u.ws, {
      type: "setWorkflowField",
      path: ["name"],
      value: newName,
    });
    const edited = currentEditor(renamed);
    return { ...u, ws: replaceCurrent(renamed, { ...edited, baseVersion: 0, past: ed.past }) };
  });
  save(ctx, `saved as a copy`);
}

export function exportYaml(ctx: ActionContext, path: string, overwrite = false): void {
  const ws = ctx.ui().ws;
  // The current workflow first, then the others of the file (children included).
  const workflows = [currentEditor(ws), ...ws.docs.filter((_, i) => i !== ws.current)].map(
    (d) => d.workflow,
  );
  ctx.emit({ type: "export", path, workflows, overwrite });
}

export function showVersions(ctx: ActionContext): void {
  ctx.emit({ type: "versions", name: currentEditor(ctx.ui().ws).workflow.name });
}

export function openPast(ctx: ActionContext, name: string, version: number): void {
  ctx.emit({ type: "load", ref: `${name}@${version}`, purpose: { for: "past", name, version } });
}

export function diffWithCurrent(ctx: ActionContext, name: string, version: number): void {
  ctx.emit({ type: "load", ref: `${name}@${version}`, purpose: { for: "diff", name, version } });
}

/** Enter on a sub-workflow node: open the workflow it calls (from the file, else the store). */
export function openChild(ctx: ActionContext, ref: string): void {
  const parsed = parseWorkflowRef(ref);
  if (!parsed) return ctx.say(`\`${ref}\` is not a workflow reference`, true);
  const ws = ctx.ui().ws;
  const docIndex = indexOf(ws, parsed.name);
  if (docIndex >= 0) {
    ctx.update((u) => ({
      ...u,
      ws: enter(u.ws, {
        workflow: u.ws.docs[docIndex]!.workflow,
        version: u.ws.docs[docIndex]!.baseVersion,
      }),
      view: { x: 0, y: 0 },
    }));
    return;
  }
  ctx.emit({ type: "load", ref, purpose: { for: "child", name: parsed.name } });
}

/** What an effect reported: the second half of each action above. */
export function onOutcome(ctx: ActionContext, outcome: DesignerOutcome): void {
  switch (outcome.type) {
    case "saved":
      return saved(ctx, outcome.outcome);
    case "failed":
      return failed(ctx, outcome.message);
    case "versionsListed": {
      const { name, versions } = outcome;
      return ctx.update((u) => ({
        ...u,
        mode: { type: "versions", name, versions, cursor: versions.length - 1 },
      }));
    }
    case "versionsFailed":
      return ctx.say(`${outcome.message} (save it once to start its history)`, true);
    case "exportExists":
      return ctx.update((u) => ({
        ...u,
        mode: {
          type: "confirm",
          confirm: { kind: "overwrite", path: outcome.path },
          text: `${outcome.path} exists. Overwrite it? ${ctx.choiceKey("yes")} overwrites, any other key keeps it`,
        },
      }));
    case "exported":
      ctx.update((u) => ({ ...u, mode: { type: "none" } }));
      return ctx.say(
        `exported ${outcome.names.join(", ")} to ${outcome.path}${outcome.names.length > 1 ? " (one document each)" : ""}`,
      );
    case "loaded":
      return loaded(ctx, outcome.stored, outcome.purpose);
    case "loadFailed":
      if (outcome.purpose.for !== "child") return failed(ctx, outcome.message);
      {
        // Not in the store yet: start it here, saved together with its parent.
        const name = outcome.purpose.name;
        ctx.update((u) => ({
          ...u,
          ws: enter(u.ws, { workflow: WorkflowSchema.parse({ name }), version: 0 }),
          view: { x: 0, y: 0 },
        }));
        return ctx.say(`${name} is new: add its nodes; saving saves it with its parent`);
      }
  }
}

function loaded(ctx: ActionContext, stored: StoredVersion, purpose: LoadPurpose): void {
  switch (purpose.for) {
    case "reload": {
      const name = stored.name;
      ctx.update((u) => {
        const index = indexOf(u.ws, name);
        const docs = u.ws.docs.map((d, i) =>
          i === index ? createEditor(stored.workflow, { version: stored.version }) : d,
        );
        return { ...u, ws: { ...u.ws, docs }, mode: { type: "none" } };
      });
      return ctx.say(`reloaded ${name}@${stored.version}; your edit is kept as a draft`);
    }
    case "past":
      ctx.update((u) => ({
        ...u,
        past: createEditor(stored.workflow, { version: stored.version, readOnly: true }),
        mode: { type: "none" },
      }));
      return ctx.say(
        `${purpose.name}@${purpose.version}, read-only: ${ctx.keyOf("back", "canvas")} returns to your edit`,
      );
    case "diff": {
      const { name, version } = purpose;
      const diff = diffWorkflows(stored.workflow, currentEditor(ctx.ui().ws).workflow);
      const text = isEmptyDiff(diff)
        ? `v${version} and the workflow on screen are the same`
        : formatDiff(diff, { before: `${name}@${version}`, after: "on screen" });
      return ctx.update((u) => ({
        ...u,
        mode: {
          type: "text",
          title: `Diff ${name}@${version} → on screen`,
          lines: text.split("\n"),
          scroll: 0,
        },
      }));
    }
    case "child":
      return ctx.update((u) => ({
        ...u,
        ws: enter(u.ws, {
          workflow: stored.workflow,
          version: stored.version,
          readOnly: stored.version !== stored.current,
        }),
        view: { x: 0, y: 0 },
      }));
  }
}
