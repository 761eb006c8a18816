/**
 * Dagu's `steps:` in every form (a list, a map of name to step, bare strings, nested lists as
 * parallel groups), with Dagu's naming rules and its `chain` / `graph` wiring.
 */
import { type Draft, error, type Path } from "../findings.js";
import { didYouMean } from "../suggest.js";
import { canonicalKey } from "./keys.js";

export interface RawStep {
  /** The step with its keys in snake_case. */
  fields: Record<string, unknown>;
  /** The key each snake_case field was written as, for positions. */
  written: Record<string, string>;
  path: Path;
  name: string;
  id?: string;
  /** Position in the list (1-based); members of a nested group share their group's. */
  position: number;
  /** Index of the group (list item) this step belongs to. */
  group: number;
  explicitDepends?: { names: string[]; path: Path };
  /** Resolved dependencies: indexes into the step list. */
  depends: number[];
}

function asStep(value: unknown, path: Path, drafts: Draft[]): Record<string, unknown> | undefined {
  if (typeof value === "string") return { command: value };
  if (value && typeof value === "object" && !Array.isArray(value))
    return value as Record<string, unknown>;
  drafts.push(
    error(
      "E_DAGU_STEP",
      path,
      `a step must be a mapping or a command string, not ${value === null ? "empty" : Array.isArray(value) ? "a list" : typeof value}`,
      { hint: "write `- name: ...` with `command:`" },
    ),
  );
  return undefined;
}

function snakeFields(step: Record<string, unknown>): Pick<RawStep, "fields" | "written"> {
  const fields: Record<string, unknown> = {};
  const written: Record<string, string> = {};
  for (const [key, value] of Object.entries(step)) {
    const k = canonicalKey(key);
    if (k === "preconditions" && k in fields) {
      fields[k] = [...toList(fields[k]), ...toList(value)];
      continue;
    }
    fields[k] = value;
    written[k] = key;
  }
  return { fields, written };
}

const toList = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];

/** The steps in order, each with its name settled by Dagu's rules. */
export function collectSteps(
  steps: unknown,
  path: Path,
  drafts: Draft[],
): { steps: RawStep[]; listForm: boolean } {
  const out: RawStep[] = [];
  const listForm = Array.isArray(steps);
  if (steps === undefined || steps === null) return { steps: out, listForm };
  const add = (value: unknown, at: Path, position: number, group: number, name?: string) => {
    const step = asStep(value, at, drafts);
    if (!step) return;
    const { fields, written } = snakeFields(step);
    if (name !== undefined && fields.name === undefined) fields.name = name;
    out.push({ fields, written, path: at, name: "", position, group, depends: [] });
  };
  if (Array.isArray(steps)) {
    steps.forEach((item, i) => {
      if (Array.isArray(item))
        item.forEach((member, j) => {
          add(member, [...path, i, j], i + 1, i);
        });
      else add(item, [...path, i], i + 1, i);
    });
  } else if (typeof steps === "object") {
    Object.entries(steps).forEach(([name, value], i) => {
      add(value ?? {}, [...path, name], i + 1, i, name);
    });
  } else {
    drafts.push(
      error("E_DAGU_STEP", path, "`steps` must be a list or a mapping of name to step", {}),
    );
  }
  nameSteps(out, drafts);
  return { steps: out, listForm };
}

function nameOf(step: RawStep, key: "name" | "id", drafts: Draft[]): string | undefined {
  const v = step.fields[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || typeof v === "number") return String(v);
  drafts.push(
    error(
      "E_DAGU_STEP",
      [...step.path, step.written[key] ?? key],
      `step \`${key}\` must be a string`,
    ),
  );
  return undefined;
}

function prefixFor(fields: Record<string, unknown>): string {
  if (fields.call !== undefined || (typeof fields.run === "string" && !/\s/.test(fields.run)))
    return "dag";
  if (fields.script !== undefined) return "script";
  if (fields.command !== undefined || fields.run !== undefined) return "cmd";
  return "step";
}

/** Explicit names first; an id names a step that has none; the rest become `<kind>_<position>`. */
function nameSteps(steps: RawStep[], drafts: Draft[]) {
  const names = new Map<string, RawStep>();
  const ids = new Map<string, RawStep>();
  for (const step of steps) {
    const id = nameOf(step, "id", drafts);
    if (id === undefined) continue;
    const other = ids.get(id);
    if (other) {
      drafts.push(
        error(
          "E_DUPLICATE_STEP_ID",
          [...step.path, step.written.id ?? "id"],
          `step id \`${id}\` is used twice`,
          { hint: "give each step its own id" },
        ),
      );
      continue;
    }
    step.id = id;
    ids.set(id, step);
  }
  for (const step of steps) {
    const explicit = nameOf(step, "name", drafts) ?? step.id;
    if (explicit === undefined) continue;
    step.name = explicit;
    const other = names.get(explicit);
    if (other) {
      const how = step.fields.name === undefined ? "its id, which" : "it";
      drafts.push(
        error(
          "E_DUPLICATE_STEP",
          [...step.path, step.written.name ?? step.written.id ?? "name"],
          `step name \`${explicit}\` is used twice (${how} is also the name of an earlier step)`,
          {
            hint: "step names are unique within a workflow: rename one",
          },
        ),
      );
    } else names.set(explicit, step);
  }
  for (const step of steps) {
    if (
      step.id !== undefined &&
      step.fields.name !== undefined &&
      step.id !== step.name &&
      names.has(step.id)
    ) {
      drafts.push(
        error(
          "E_DUPLICATE_STEP",
          [...step.path, step.written.id ?? "id"],
          `step id \`${step.id}\` is another step's name`,
          { hint: "ids and names share one namespace: change one" },
        ),
      );
    }
  }
  for (const step of steps) {
    if (step.name !== "") continue;
    const prefix = prefixFor(step.fields);
    let n = step.position;
    while (names.has(`${prefix}_${n}`) || ids.has(`${prefix}_${n}`)) n++;
    step.name = `${prefix}_${n}`;
    names.set(step.name, step);
  }
}

/** `depends` by name or id; chain mode adds the previous item as Dagu does. */
export function wireSteps(steps: RawStep[], chain: boolean, drafts: Draft[]) {
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    index.set(s.name, i);
  });
  steps.forEach((s, i) => {
    if (s.id !== undefined && !index.has(s.id)) index.set(s.id, i);
  });
  const groupMembers = new Map<number, number[]>();
  steps.forEach((s, i) => {
    groupMembers.set(s.group, [...(groupMembers.get(s.group) ?? []), i]);
  });
  steps.forEach((step) => {
    const raw = step.fields.depends;
    const at = [...step.path, step.written.depends ?? "depends"];
    const names: string[] = [];
    if (typeof raw === "string" || typeof raw === "number") names.push(String(raw));
    else if (Array.isArray(raw)) {
      raw.forEach((d, j) => {
        if (typeof d === "string" || typeof d === "number") names.push(String(d));
        else drafts.push(error("E_DAGU_DEPENDS", [...at, j], "each `depends` entry names a step"));
      });
    } else if (raw !== undefined && raw !== null)
      drafts.push(error("E_DAGU_DEPENDS", at, "`depends` is a step name or a list of them"));
    if ("depends" in step.fields) step.explicitDepends = { names, path: at };
    names.forEach((name, j) => {
      const target = index.get(name);
      if (target === undefined) {
        drafts.push(
          error(
            "E_DAGU_DEPENDS",
            Array.isArray(raw) ? [...at, j] : at,
            `step \`${step.name}\` depends on \`${name}\`, which is not a step`,
            {
              hint:
                didYouMean(name, index.keys()) ?? "name a step of this workflow (by name or id)",
            },
          ),
        );
      } else if (!step.depends.includes(target)) step.depends.push(target);
    });
  });
  if (!chain) return;
  for (const step of steps) {
    if (step.group === 0) continue;
    if (step.explicitDepends && step.explicitDepends.names.length === 0) continue;
    for (const previous of groupMembers.get(step.group - 1) ?? [])
      if (!step.depends.includes(previous)) step.depends.push(previous);
  }
}
