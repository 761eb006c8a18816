/**
 * Structural diff of two workflow versions. Nodes match by id and edges by `from->to`, so
 * reordering a file is never a change; values compare as JSON, so key order never matters.
 */
import { stableStringify } from "./canonical.js";
import { edgeId, type Workflow } from "./model.js";

/** `field` is a dotted path inside the compared object, e.g. `with.command` or `retries.max`. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  kind: string;
  changes: FieldChange[];
}

export interface WorkflowDiff {
  nodesAdded: { id: string; kind: string }[];
  nodesRemoved: { id: string; kind: string }[];
  /** Only nodes present on both sides with at least one change. */
  nodesChanged: NodeChange[];
  edgesAdded: string[];
  edgesRemoved: string[];
  edgesChanged: { id: string; changes: FieldChange[] }[];
  parametersAdded: string[];
  parametersRemoved: string[];
  parametersChanged: { name: string; changes: FieldChange[] }[];
  /** Top-level fields other than nodes, edges and parameters (name, defaults.*, limits.*, ...). */
  other: FieldChange[];
}

export function diffWorkflows(before: Workflow, after: Workflow): WorkflowDiff {
  const nodes = diffKeyed(
    keyed(before.nodes, (n) => n.id),
    keyed(after.nodes, (n) => n.id),
  );
  const edges = diffKeyed(keyed(before.edges, edgeId), keyed(after.edges, edgeId));
  const parameters = diffKeyed(
    new Map(Object.entries(before.parameters)),
    new Map(Object.entries(after.parameters)),
  );
  const { nodes: _bn, edges: _be, parameters: _bp, ...beforeRest } = before;
  const { nodes: _an, edges: _ae, parameters: _ap, ...afterRest } = after;
  return {
    nodesAdded: nodes.added.map(([id, node]) => ({ id, kind: node.kind })),
    nodesRemoved: nodes.removed.map(([id, node]) => ({ id, kind: node.kind })),
    // A node whose kind changed is named by its new kind; the table shows the old one.
    nodesChanged: nodes.changed.map(({ key, after, changes }) => ({
      id: key,
      kind: after.kind,
      changes,
    })),
    edgesAdded: edges.added.map(([id]) => id),
    edgesRemoved: edges.removed.map(([id]) => id),
    edgesChanged: edges.changed.map(({ key, changes }) => ({ id: key, changes })),
    parametersAdded: parameters.added.map(([name]) => name),
    parametersRemoved: parameters.removed.map(([name]) => name),
    parametersChanged: parameters.changed.map(({ key, changes }) => ({ name: key, changes })),
    other: fieldChanges(beforeRest, afterRest),
  };
}

export function isEmptyDiff(d: WorkflowDiff): boolean {
  return Object.values(d).every((list: unknown[]) => list.length === 0);
}

/**
 * Every field that differs between two JSON-like values, sorted by path. Plain objects are
 * walked so the deepest differing key is named; arrays are one value, because an element's
 * index means little once items are inserted or reordered.
 */
function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  return collectChanges(before, after, path).sort((a, b) => compare(a.field, b.field));
}

function collectChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) =>
      collectChanges(before[key], after[key], path === "" ? key : `${path}.${key}`),
    );
  }
  // Lists of the same length (argv, headers) read best item by item: `with.command.2`.
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    before.length === after.length &&
    !sameJson(before, after)
  ) {
    return before.flatMap((item, i) => collectChanges(item, after[i], `${path}.${i}`));
  }
  return sameJson(before, after) ? [] : [{ field: path, before, after }];
}

/** JSON equality, except that a missing value differs from `null` (stableStringify folds them). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stableStringify(a) === stableStringify(b);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Items by key; on a duplicate key the first wins (validation reports duplicates). */
function keyed<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (!out.has(key)) out.set(key, item);
  }
  return out;
}

interface KeyedDiff<T> {
  added: [string, T][];
  removed: [string, T][];
  changed: { key: string; after: T; changes: FieldChange[] }[];
}

function diffKeyed<T>(before: Map<string, T>, after: Map<string, T>): KeyedDiff<T> {
  const out: KeyedDiff<T> = { added: [], removed: [], changed: [] };
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compare);
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    if (!before.has(key)) out.added.push([key, a as T]);
    else if (!after.has(key)) out.removed.push([key, b as T]);
    else {
      const changes = fieldChanges(b, a);
      if (changes.length > 0) out.changed.push({ key, after: a as T, changes });
    }
  }
  return out;
}

// ---- Plain-text rendering for a terminal ----

const MAX_VALUE_WIDTH = 40;

type Section =
  | { kind: "list"; label: string; items: string[] }
  | { kind: "table"; title: string; changes: FieldChange[] };

/** A readable, aligned, colourless table of the diff; the first line names both sides. */
export function formatDiff(d: WorkflowDiff, labels: { before: string; after: string }): string {
  if (isEmptyDiff(d)) return `no differences between ${labels.before} and ${labels.after}`;
  const sections = diffSections(d).filter((s) =>
    s.kind === "list" ? s.items.length > 0 : s.changes.length > 0,
  );
  const lists = sections.flatMap((s) => (s.kind === "list" ? [s] : []));
  const rows = sections.flatMap((s) =>
    s.kind === "table"
      ? s.changes.map((c) => ({ field: c.field, before: renderValue(c.before) }))
      : [],
  );
  const labelWidth = Math.max(0, ...lists.map((s) => s.label.length)) + 2;
  const fieldWidth = Math.max(0, ...rows.map((r) => r.field.length));
  const beforeWidth = Math.max(0, ...rows.map((r) => r.before.length));

  const lines = [`${labels.before} -> ${labels.after}`];
  for (const section of sections) {
    if (section.kind === "list") {
      section.items.forEach((item, i) => {
        lines.push(`${(i === 0 ? section.label : "").padEnd(labelWidth)}${item}`);
      });
      continue;
    }
    lines.push(section.title);
    for (const c of section.changes) {
      lines.push(
        `  ${c.field.padEnd(fieldWidth)}  ${renderValue(c.before).padEnd(beforeWidth)}  ->  ${renderValue(c.after)}`,
      );
    }
  }
  return lines.join("\n");
}

function diffSections(d: WorkflowDiff): Section[] {
  return [
    list(
      "nodes added:",
      d.nodesAdded.map((n) => `+${n.id} (${n.kind})`),
    ),
    list(
      "nodes removed:",
      d.nodesRemoved.map((n) => `-${n.id} (${n.kind})`),
    ),
    ...d.nodesChanged.map((n) => table(`node ${n.id} (${n.kind}):`, n.changes)),
    list(
      "edges added:",
      d.edgesAdded.map((id) => `+${id}`),
    ),
    list(
      "edges removed:",
      d.edgesRemoved.map((id) => `-${id}`),
    ),
    ...d.edgesChanged.map((e) => table(`edge ${e.id}:`, e.changes)),
    list(
      "parameters added:",
      d.parametersAdded.map((name) => `+${name}`),
    ),
    list(
      "parameters removed:",
      d.parametersRemoved.map((name) => `-${name}`),
    ),
    ...d.parametersChanged.map((p) => table(`parameter ${p.name}:`, p.changes)),
    table("workflow:", d.other),
  ];
}

const list = (label: string, items: string[]): Section => ({ kind: "list", label, items });
const table = (title: string, changes: FieldChange[]): Section => ({
  kind: "table",
  title,
  changes,
});

/**
 * Strings as written, anything else as JSON. Empty strings and strings with control characters
 * are shown as JSON too, so a blank cell or a newline never breaks the table.
 */
function renderValue(value: unknown): string {
  const text =
    value === undefined
      ? "(unset)"
      : typeof value === "string" && value !== "" && !/\p{Cc}/u.test(value)
        ? value
        : stableStringify(value);
  const chars = Array.from(text);
  return chars.length > MAX_VALUE_WIDTH ? `${chars.slice(0, MAX_VALUE_WIDTH - 1).join("")}…` : text;
}
