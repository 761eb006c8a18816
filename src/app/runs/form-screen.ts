/**
 * The run form's state and its one reducer: `(state, action, env) → state and effects`. Keys
 * arrive as commands, a field's prompt as what was typed, the form and the start's answer as
 * actions; `env` carries the check of the values (the screen computes it once per change). The
 * screen draws the state and runs the effects (reading the form, starting the run, leaving).
 */
import type { Command } from "../../config/index.js";
import { emit, only, type Step as ScreenStep } from "../screen-step.js";
import type { FormCheck, FormField, RunForm } from "./run-session.js";

export interface FormState {
  form?: RunForm;
  failure?: string;
  /** Each field's text, as typed (defaults filled in). */
  values: Record<string, string>;
  /** The row: one per field, then the start button. */
  cursor: number;
  editing: boolean;
  busy: boolean;
  /** What the engine refused when the run was started, until a value changes. */
  serverProblems?: { name: string; message: string }[];
}

export type FormAction =
  | { type: "command"; command: Command | undefined }
  | { type: "loaded"; form: RunForm }
  | { type: "failed"; message: string }
  | { type: "submitField"; text: string }
  | { type: "closePrompt" }
  | { type: "refused"; problems: { name: string; message: string }[] }
  | { type: "begun" };

export type FormEffect =
  | { type: "cancel" }
  | { type: "help" }
  | { type: "quit" }
  | { type: "start"; ref: string; params: Record<string, unknown> };

export interface FormEnv {
  /** The values checked against the workflow's parameters (undefined until the form is read). */
  checked: FormCheck | undefined;
}

export const initialFormState = (): FormState => ({
  values: {},
  cursor: 0,
  editing: false,
  busy: false,
});

/** The field under the cursor; none on the start button. */
export const fieldAt = (state: FormState): FormField | undefined =>
  state.form?.fields[state.cursor];

type Step = ScreenStep<FormState, FormEffect>;
const set = (state: FormState, name: string, text: string): FormState => ({
  ...state,
  serverProblems: undefined,
  values: { ...state.values, [name]: text },
});

export function reduceForm(state: FormState, action: FormAction, env: FormEnv): Step {
  switch (action.type) {
    case "loaded": {
      const { form } = action;
      return only({
        ...state,
        form,
        values: Object.fromEntries(form.fields.map((x) => [x.name, x.initial])),
      });
    }
    case "failed":
      return only({ ...state, busy: false, failure: action.message });
    case "refused":
      return only({ ...state, busy: false, serverProblems: action.problems });
    case "begun":
      return only({ ...state, busy: false });
    case "closePrompt":
      return only({ ...state, editing: false });
    case "submitField": {
      const field = fieldAt(state);
      if (!field) return only({ ...state, editing: false });
      const count = (state.form?.fields.length ?? 0) + 1;
      return only({
        ...set(state, field.name, action.text),
        editing: false,
        cursor: Math.min(count - 1, state.cursor + 1),
      });
    }
    case "command":
      return state.editing || state.busy ? only(state) : onCommand(state, action.command, env);
  }
}

function submit(state: FormState, env: FormEnv): Step {
  const { form } = state;
  const { checked } = env;
  if (!form || !checked) return only(state);
  if (!checked.ok) {
    // To the first field that needs fixing.
    const first = form.fields.findIndex((f) => checked.problems.some((p) => p.name === f.name));
    return only(first >= 0 ? { ...state, cursor: first } : state);
  }
  return emit({ ...state, busy: true }, { type: "start", ref: form.ref, params: checked.params });
}

function onCommand(state: FormState, command: Command | undefined, env: FormEnv): Step {
  const count = (state.form?.fields.length ?? 0) + 1;
  const field = fieldAt(state);
  if (command === "back") return emit(state, { type: "cancel" });
  if (command === "help") return emit(state, { type: "help" });
  if (command === "quit") return emit(state, { type: "quit" });
  if (command === "moveDown" || command === "nextNode")
    return only({ ...state, cursor: Math.min(count - 1, state.cursor + 1) });
  if (command === "moveUp" || command === "previousNode")
    return only({ ...state, cursor: Math.max(0, state.cursor - 1) });
  if (command === "run") return submit(state, env);
  if (!field) return command === "inspect" ? submit(state, env) : only(state);
  if (field.type === "boolean" && command === "inspect")
    return only(set(state, field.name, state.values[field.name] === "true" ? "false" : "true"));
  if (
    field.choices &&
    (command === "moveLeft" || command === "moveRight" || command === "inspect")
  ) {
    const i = field.choices.indexOf(state.values[field.name] ?? "");
    const step = command === "moveLeft" ? -1 : 1;
    const next = field.choices[(i + step + field.choices.length) % field.choices.length]!;
    return only(set(state, field.name, next));
  }
  if (command === "inspect") return only({ ...state, editing: true });
  if (command === "clear") return only(set(state, field.name, ""));
  return only(state);
}
