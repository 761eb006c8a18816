/**
 * Starting a run: a form generated from the workflow's typed parameters. Text and numbers are
 * typed, booleans toggle, enums are picked, objects and arrays are JSON; defaults are filled,
 * required ones marked, and every problem is shown at once, before anything is submitted. It
 * draws the state of its reducer (src/app/runs/form-screen.ts) and runs its effects.
 */
import { Box, Text } from "ink";
import { useEffect, useMemo } from "react";
import {
  type FormEffect,
  fieldAt,
  initialFormState,
  reduceForm,
} from "../../app/runs/form-screen.js";
import type { FormField, RunSession } from "../../app/runs/run-session.js";
import { Footer } from "../components/footer.js";
import { Panel } from "../components/panel.js";
import { PROMPT_LINES, Prompt } from "../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";
import { useScreen } from "../use-screen.js";

export interface RunFormProps {
  runs: RunSession;
  /** The workflow, `name` or `name@version`: the run uses that saved version. */
  workflowRef: string;
  width: number;
  height: number;
  active?: boolean;
  onStarted(id: string, note: string): void;
  onCancel(): void;
  onHelp?(): void;
  onQuit?(): void;
}

export function RunForm(props: RunFormProps) {
  const look = useLook();
  const keyOf = useKeyOf();
  const screen = useScreen(reduceForm, initialFormState);
  const { state, dispatch } = screen;
  const { form, failure, values, cursor, editing, busy, serverProblems } = state;

  const checked = useMemo(
    () => (form ? props.runs.check(form, values) : undefined),
    [form, values, props.runs],
  );
  const problems = serverProblems ?? (checked && !checked.ok ? checked.problems : []);
  const fields = form?.fields ?? [];
  const field = fieldAt(state);

  const run = (effect: FormEffect) => {
    switch (effect.type) {
      case "cancel":
        return props.onCancel();
      case "help":
        return props.onHelp?.();
      case "quit":
        return props.onQuit?.();
      case "start":
        return void props.runs.start(effect.ref, effect.params).then(
          (started) => {
            if ("problems" in started)
              return dispatch({ type: "refused", problems: started.problems });
            dispatch({ type: "begun" });
            props.onStarted(
              started.id,
              `started run ${started.id} of ${effect.ref}${started.driven ? " (driven by this terminal: no worker serves its queues)" : ""}`,
            );
          },
          (cause: Error) => dispatch({ type: "failed", message: cause.message }),
        );
    }
  };
  screen.provide({ checked }, run);
  useEffect(() => {
    props.runs.form(props.workflowRef).then(
      (f) => dispatch({ type: "loaded", form: f }),
      (cause: Error) => dispatch({ type: "failed", message: cause.message }),
    );
  }, [props.runs, props.workflowRef, dispatch]);
  useKeyHandler((command) => dispatch({ type: "command", command }), {
    active: props.active ?? true,
    context: "form",
  });

  const title = `Start a run of ${form?.ref ?? props.workflowRef}`;
  if (failure)
    return (
      <Box flexDirection="column" width={props.width} height={props.height}>
        <Text bold color={look.colour("text.accent")}>
          {title}
        </Text>
        <Text color={look.colour("finding.error")}>{failure}</Text>
        <Text color={look.colour("text.secondary")}>{keyOf("back", "form")} goes back</Text>
      </Box>
    );
  if (!form) return <Text>reading {props.workflowRef}…</Text>;

  const byName = new Map<string, string[]>();
  for (const p of problems) byName.set(p.name, [...(byName.get(p.name) ?? []), p.message]);
  const nameWidth = Math.min(24, Math.max(8, ...fields.map((f) => f.name.length + 2)));
  const valueWidth = Math.max(10, props.width - nameWidth - 16);
  const ok = look.glyphs === "ascii" ? "ok" : "✓";
  const bad = look.glyphs === "ascii" ? "x" : "✗";
  const bodyHeight = Math.max(5, props.height - 4 - (editing ? PROMPT_LINES : 0));
  const shownValue = (f: FormField) => {
    const v = values[f.name] ?? "";
    if (f.type === "boolean")
      return v === "true" ? "[x] true" : v === "false" ? "[ ] false" : "[ ] (not set)";
    if (f.choices) return `‹ ${v || "(not set)"} ›`;
    return v === "" ? "(empty)" : v;
  };
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Panel title={title} focused height={bodyHeight}>
        {fields.length === 0 ? (
          <Text color={look.colour("text.secondary")}>This workflow takes no parameters.</Text>
        ) : null}
        {fields.map((f, i) => {
          const errs = byName.get(f.name);
          return (
            <Box key={f.name} flexDirection="column">
              <Text inverse={i === cursor} wrap="truncate">
                {`${f.required ? "*" : " "} ${f.name.padEnd(nameWidth)}`}
                <Text color={look.colour("text.secondary")}>{f.type.padEnd(8)}</Text>{" "}
                {shownValue(f).slice(0, valueWidth)}
              </Text>
              {errs ? (
                <Text color={look.colour("finding.error")} wrap="truncate">
                  {`    ${bad} ${errs.join("; ")}`}
                </Text>
              ) : i === cursor && f.description ? (
                <Text color={look.colour("text.secondary")} wrap="truncate">
                  {`    ${f.description}`}
                </Text>
              ) : null}
            </Box>
          );
        })}
        {/* problems that belong to no field (e.g. a parameter the workflow no longer has) */}
        {problems
          .filter((p) => !fields.some((f) => f.name === p.name))
          .map((p) => (
            <Text key={p.name} color={look.colour("finding.error")} wrap="truncate">
              {`${bad} ${p.message}`}
            </Text>
          ))}
        <Text> </Text>
        <Text inverse={cursor === fields.length} bold wrap="truncate">
          {problems.length === 0
            ? ` ${ok} Start the run (${keyOf("inspect", "form")} here, or ${keyOf("run", "form")}) `
            : ` ${bad} ${problems.length} problem${problems.length === 1 ? "" : "s"} to fix before starting `}
        </Text>
      </Panel>
      {editing && field ? (
        <Prompt
          width={props.width}
          key={field.name}
          label={field.name}
          initial={values[field.name] ?? ""}
          hint={`${field.type}${field.type === "object" || field.type === "array" ? " as JSON" : ""} · ${keyOf("submit", "text")} sets · ${keyOf("back", "text")} cancels`}
          onSubmit={(text) => dispatch({ type: "submitField", text })}
          onCancel={() => dispatch({ type: "closePrompt" })}
        />
      ) : null}
      <Text color={look.colour("text.secondary")} wrap="truncate">
        {busy
          ? "starting…"
          : `* required · ${keyOf("moveUp", "form")}${keyOf("moveDown", "form")} move · ${keyOf("inspect", "form")} edits · ${keyOf("moveLeft", "form")}${keyOf("moveRight", "form")} pick · ${keyOf("run", "form")} starts · ${keyOf("back", "form")} cancels`}
      </Text>
      <Footer
        commands={editing ? ["submit", "back", "deleteWord"] : ["run", "inspect", "back", "help"]}
        width={props.width}
        context={editing ? "text" : "form"}
      />
    </Box>
  );
}
