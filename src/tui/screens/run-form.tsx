/**
 * Starting a run: a form generated from the workflow's typed parameters. Text and numbers are
 * typed, booleans toggle, enums are picked, objects and arrays are JSON; defaults are filled,
 * required ones marked, and every problem is shown at once, before anything is submitted.
 */
import { Box, Text } from "ink";
import { useEffect, useMemo, useState } from "react";
import type { RunForm as Form, FormField, RunSession } from "../../app/runs/run-session.js";
import type { Command } from "../../config/index.js";
import { Footer } from "../components/footer.js";
import { Panel } from "../components/panel.js";
import { Prompt } from "../components/prompt.js";
import { useKeyHandler, useKeyOf } from "../key-router.js";
import { useLook } from "../theme.js";

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
  const [form, setForm] = useState<Form>();
  const [failure, setFailure] = useState<string>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [cursor, setCursor] = useState(0);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverProblems, setServerProblems] = useState<{ name: string; message: string }[]>();

  useEffect(() => {
    props.runs.form(props.workflowRef).then(
      (f) => {
        setForm(f);
        setValues(Object.fromEntries(f.fields.map((x) => [x.name, x.initial])));
      },
      (cause: Error) => setFailure(cause.message),
    );
  }, [props.runs, props.workflowRef]);

  const checked = useMemo(
    () => (form ? props.runs.check(form, values) : undefined),
    [form, values, props.runs],
  );
  const problems = serverProblems ?? (checked && !checked.ok ? checked.problems : []);
  const fields = form?.fields ?? [];
  // The rows: one per field, then the start button.
  const count = fields.length + 1;
  const field: FormField | undefined = fields[cursor];

  const set = (name: string, text: string) => {
    setServerProblems(undefined);
    setValues((v) => ({ ...v, [name]: text }));
  };

  const submit = () => {
    if (!form || !checked || busy) return;
    if (!checked.ok) {
      // To the first field that needs fixing.
      const first = fields.findIndex((f) => checked.problems.some((p) => p.name === f.name));
      if (first >= 0) setCursor(first);
      return;
    }
    setBusy(true);
    props.runs.start(form.ref, checked.params).then(
      (started) => {
        setBusy(false);
        if ("problems" in started) return setServerProblems(started.problems);
        props.onStarted(
          started.id,
          `started run ${started.id} of ${form.ref}${started.driven ? " (driven by this terminal: no worker serves its queues)" : ""}`,
        );
      },
      (cause: Error) => {
        setBusy(false);
        setFailure(cause.message);
      },
    );
  };

  const onKey = (command: Command | undefined) => {
    if (editing || busy) return;
    if (command === "back") return props.onCancel();
    if (command === "help") return props.onHelp?.();
    if (command === "quit") return props.onQuit?.();
    if (command === "moveDown" || command === "nextNode")
      return setCursor((c) => Math.min(count - 1, c + 1));
    if (command === "moveUp" || command === "previousNode")
      return setCursor((c) => Math.max(0, c - 1));
    if (command === "run") return submit();
    if (!field) return command === "inspect" ? submit() : undefined;
    if (field.type === "boolean" && command === "inspect") {
      const now = values[field.name];
      return set(field.name, now === "true" ? "false" : "true");
    }
    if (
      field.choices &&
      (command === "moveLeft" || command === "moveRight" || command === "inspect")
    ) {
      const i = field.choices.indexOf(values[field.name] ?? "");
      const step = command === "moveLeft" ? -1 : 1;
      const next = field.choices[(i + step + field.choices.length) % field.choices.length]!;
      return set(field.name, next);
    }
    if (command === "inspect") return setEditing(true);
    if (command === "clear") return set(field.name, "");
  };
  useKeyHandler(onKey, { active: props.active ?? true, context: "form" });

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
  const bodyHeight = Math.max(5, props.height - 4 - (editing ? 2 : 0));
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
          key={field.name}
          label={field.name}
          initial={values[field.name] ?? ""}
          hint={`${field.type}${field.type === "object" || field.type === "array" ? " as JSON" : ""} · ${keyOf("submit", "text")} sets · ${keyOf("back", "text")} cancels`}
          onSubmit={(t) => {
            set(field.name, t);
            setEditing(false);
            setCursor((c) => Math.min(count - 1, c + 1));
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      <Text color={look.colour("text.secondary")} wrap="truncate">
        {busy
          ? "starting…"
          : `* required · ${keyOf("moveUp", "form")}${keyOf("moveDown", "form")} move · ${keyOf("inspect", "form")} edits (toggles, picks) · ${keyOf("moveLeft", "form")}${keyOf("moveRight", "form")} pick · ${keyOf("run", "form")} starts · ${keyOf("back", "form")} cancels`}
      </Text>
      <Footer
        commands={editing ? ["submit", "back", "deleteWord"] : ["run", "inspect", "back", "help"]}
        width={props.width}
        context={editing ? "text" : "form"}
      />
    </Box>
  );
}
