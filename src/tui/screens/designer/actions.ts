/**
 * The designer's actions that reach the store or the file system: save (with conflicts), save as
 * a new name, export, versions, open a child. Each reports what it did as the screen's message.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type DesignerSession, isEmptyDiff } from "../../../app/designer/session.js";
import {
  applyCommand,
  currentEditor,
  dirtyEditors,
  enter,
  indexOf,
  replaceCurrent,
} from "../../../app/designer/workspace.js";
import { createEditor, reduce } from "../../../app/editor/index.js";
import type { Command, Context } from "../../../config/index.js";
import {
  diffWorkflows,
  formatDiff,
  parseWorkflowRef,
  WorkflowSchema,
} from "../../../spec/index.js";
import type { DesignerUi } from "./state.js";

export interface ActionContext {
  session: DesignerSession;
  cwd: string;
  ui(): DesignerUi;
  update(change: (ui: DesignerUi) => DesignerUi): void;
  say(text: string, error?: boolean): void;
  refreshStored(): void;
  /** The key that answers a question with `command` (`yes` → `y`), for the question's text. */
  choiceKey(command: Command): string;
  /** The key that gives `command` in `context` (`save` → `F10`), for a hint's text. */
  keyOf(command: Command, context: Context): string;
}

const failed = (ctx: ActionContext) => (cause: unknown) => {
  ctx.update((u) => ({ ...u, mode: { type: "none" } }));
  ctx.say((cause as Error).message, true);
};

/** Saves every edited workflow of the workspace as one unit. */
export function save(ctx: ActionContext, message: string): void {
  const ws = ctx.ui().ws;
  const dirty = dirtyEditors(ws);
  const targets = dirty.length > 0 ? dirty : [currentEditor(ws)];
  if (targets.some((t) => t.readOnly)) return ctx.say("a past version is read-only", true);
  ctx.update((u) => ({ ...u, mode: { type: "busy", text: "saving…" } }));
  const parents = new Map(targets.map((t) => [t.workflow.name, t.baseVersion]));
  ctx.session
    .save(
      targets.map((t) => t.workflow),
      parents,
      message,
    )
    .then((outcome) => {
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
          const saved = byName.get(d.workflow.name);
          return saved ? reduce(d, { type: "saved", version: saved.version }) : d;
        });
        return { ...u, ws: { ...u.ws, docs }, mode: { type: "none" } };
      });
      ctx.refreshStored();
      ctx.say(
        outcome.kind === "unchanged"
          ? `no changes: ${outcome.saved.map((s) => `${s.name} is still v${s.version}`).join(", ")}`
          : `saved ${outcome.saved
              .filter((s) => s.created)
              .map((s) => `${s.name} as v${s.version}`)
              .join(", ")}`,
      );
    }, failed(ctx));
}

/** After a conflict: take their version (yours stays as a draft until the next save). */
export function reloadTheirs(ctx: ActionContext, name: string): void {
  const editor = ctx.ui().ws.docs.find((d) => d.workflow.name === name);
  if (editor) void ctx.session.saveDraft(editor.workflow, editor.baseVersion, "conflict");
  ctx.session.get(name).then((theirs) => {
    ctx.update((u) => {
      const index = indexOf(u.ws, name);
      const docs = u.ws.docs.map((d, i) =>
        i === index ? createEditor(theirs.workflow, { version: theirs.version }) : d,
      );
      return { ...u, ws: { ...u.ws, docs }, mode: { type: "none" } };
    });
    ctx.say(`reloaded ${name}@${theirs.version}; your edit is kept as a draft`);
  }, failed(ctx));
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
  const full = resolve(ctx.cwd, path);
  if (!overwrite && existsSync(full)) {
    ctx.update((u) => ({
      ...u,
      mode: {
        type: "confirm",
        confirm: { kind: "overwrite", path },
        text: `${path} exists. Overwrite it? ${ctx.choiceKey("yes")} overwrites, any other key keeps it`,
      },
    }));
    return;
  }
  const ws = ctx.ui().ws;
  // The current workflow first, then the others of the file (children included).
  const workflows = [currentEditor(ws), ...ws.docs.filter((_, i) => i !== ws.current)].map(
    (d) => d.workflow,
  );
  try {
    ctx.session.exportTo(path, ctx.cwd, workflows);
    ctx.update((u) => ({ ...u, mode: { type: "none" } }));
    ctx.say(
      `exported ${workflows.map((w) => w.name).join(", ")} to ${path}${workflows.length > 1 ? " (one document each)" : ""}`,
    );
  } catch (cause) {
    failed(ctx)(cause);
  }
}

export function showVersions(ctx: ActionContext): void {
  const name = currentEditor(ctx.ui().ws).workflow.name;
  ctx.session.versions(name).then(
    (versions) =>
      ctx.update((u) => ({
        ...u,
        mode: { type: "versions", name, versions, cursor: versions.length - 1 },
      })),
    (cause: Error) => ctx.say(`${cause.message} (save it once to start its history)`, true),
  );
}

export function openPast(ctx: ActionContext, name: string, version: number): void {
  ctx.session.get(`${name}@${version}`).then((stored) => {
    ctx.update((u) => ({
      ...u,
      past: createEditor(stored.workflow, { version: stored.version, readOnly: true }),
      mode: { type: "none" },
    }));
    ctx.say(`${name}@${version}, read-only: ${ctx.keyOf("back", "canvas")} returns to your edit`);
  }, failed(ctx));
}

export function diffWithCurrent(ctx: ActionContext, name: string, version: number): void {
  const current = currentEditor(ctx.ui().ws);
  ctx.session.get(`${name}@${version}`).then((stored) => {
    const diff = diffWorkflows(stored.workflow, current.workflow);
    const text = isEmptyDiff(diff)
      ? `v${version} and the workflow on screen are the same`
      : formatDiff(diff, { before: `${name}@${version}`, after: "on screen" });
    ctx.update((u) => ({
      ...u,
      mode: {
        type: "text",
        title: `Diff ${name}@${version} → on screen`,
        lines: text.split("\n"),
        scroll: 0,
      },
    }));
  }, failed(ctx));
}

/** Enter on a sub-workflow node: open the workflow it calls (from the file, else the store). */
export function openChild(ctx: ActionContext, ref: string): void {
  const parsed = parseWorkflowRef(ref);
  if (!parsed) return ctx.say(`\`${ref}\` is not a workflow reference`, true);
  const ws = ctx.ui().ws;
  if (indexOf(ws, parsed.name) >= 0) {
    const docIndex = indexOf(ws, parsed.name);
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
  ctx.session.get(ref).then(
    (stored) =>
      ctx.update((u) => ({
        ...u,
        ws: enter(u.ws, {
          workflow: stored.workflow,
          version: stored.version,
          readOnly: stored.version !== stored.current,
        }),
        view: { x: 0, y: 0 },
      })),
    () => {
      // Not in the store yet: start it here, saved together with its parent.
      ctx.update((u) => ({
        ...u,
        ws: enter(u.ws, { workflow: WorkflowSchema.parse({ name: parsed.name }), version: 0 }),
        view: { x: 0, y: 0 },
      }));
      ctx.say(`${parsed.name} is new: add its nodes; saving saves it with its parent`);
    },
  );
}
