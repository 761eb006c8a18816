/**
 * The inspector's keys: move between the fields of the selection and change one, through a
 * prompt (text, CEL checked as typed), a toggle or a choice; the reducer checks every value.
 */

import type { Command } from "../../../config/index.js";
import { MAX_NAME_LENGTH, WORKFLOW_NAME } from "../../../spec/index.js";
import { renameNode } from "../../editor/edits.js";
import { checkCelText, editText, type FieldRow, parseFieldText } from "../../editor/field-list.js";
import { inspectorRows } from "./inspector-rows.js";
import { edit, type KeyContext, selectedNode, shownEditor } from "./key-context.js";
import type { DesignerUi } from "./state.js";

export function inspectorKey(ctx: KeyContext, command: Command | undefined): void {
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
  if (command !== "inspect") return;
  const field = rows[cursor];
  if (!field) return;
  if (ui.past) return ctx.say("a past version is read-only", true);
  beginFieldEdit(ctx, field);
}

export function beginFieldEdit(ctx: KeyContext, field: FieldRow): void {
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
/**
 * Why the rename prompt's text cannot be the selected node's new id, checked as it is typed:
 * a refused id keeps the prompt open with its text, so the next letters are not canvas keys.
 */
export function renameProblem(ui: DesignerUi, text: string): string | undefined {
  const from = selectedNode(ui);
  if (!from || text === from) return undefined;
  const result = renameNode(shownEditor(ui).workflow, from, text);
  return result.ok ? undefined : result.reason;
}

/** Why the "save as" prompt's text cannot name the new workflow, checked as it is typed. */
export function workflowNameProblem(text: string): string | undefined {
  if (text.length > MAX_NAME_LENGTH)
    return `${text.length} characters: a name is at most ${MAX_NAME_LENGTH}`;
  if (!WORKFLOW_NAME.test(text))
    return "a name uses lower-case letters, digits, `_ . -` and starts with a letter or digit";
  return undefined;
}

export function fieldProblem(ui: DesignerUi, field: FieldRow, text: string): string | undefined {
  if (field.kind === "cel") {
    const problem = checkCelText(shownEditor(ui).workflow, text);
    return problem ? `column ${problem.column}: ${problem.message}` : undefined;
  }
  const parsed = parseFieldText(field, text);
  return parsed.ok ? undefined : parsed.reason;
}
