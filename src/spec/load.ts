/**
 * From a file's bytes to checked workflows: decode, read every YAML document with positions,
 * turn Dagu shorthand into the native model, check the schema, then validate each workflow
 * knowing its siblings. Every problem comes back as a placed finding; nothing throws.
 */
import { canonicalJson, normaliseWorkflow, sha256 } from "./canonical.js";
import { convertDagu, looksLikeDagu, type Origin } from "./dagu/index.js";
import { decodeUtf8 } from "./encoding.js";
import { escapeControl } from "./escape.js";
import { type Draft, type Finding, hasErrors, sortFindings, toFinding } from "./findings.js";
import type { Workflow } from "./model.js";
import { parseNative } from "./native.js";
import {
  type ReadProblem,
  type ReadResult,
  readYamlDocuments,
  readYamlFast,
  type SourceDocument,
} from "./source.js";
import { type ValidateContext, validateWorkflow } from "./validate/index.js";

export interface LoadedWorkflow {
  /** The normalised workflow: defaults filled, Dagu shorthand turned native. */
  workflow: Workflow;
  /** 0-based document index in the file. */
  document: number;
  format: "native" | "dagu";
  canonical: string;
  hash: string;
  /** False when any error finding names this workflow. */
  valid: boolean;
}

export interface LoadResult {
  file: string;
  workflows: LoadedWorkflow[];
  findings: Finding[];
}

export type LoadOptions = Omit<ValidateContext, "siblings">;

export function loadWorkflowBytes(
  bytes: Uint8Array,
  file: string,
  options: LoadOptions = {},
): LoadResult {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return { file, workflows: [], findings: [placeRead(decoded.problem, file)] };
  return loadWorkflowText(decoded.text, file, options);
}

interface Parsed {
  doc: SourceDocument;
  origin: Origin;
  format: "native" | "dagu";
  /** Errors were found before validation (schema, Dagu conversion). */
  failed: boolean;
  workflow?: Workflow;
}

export function loadWorkflowText(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult {
  const source = text.replace(/^\uFEFF/, "");
  const fast = readYamlFast(source);
  if (fast && fast.documents.length > 0) {
    const result = loadDocuments(fast, file, options);
    if (result.findings.length === 0) return result;
  }
  // Something to report (or a file the fast reader leaves alone): read it again with positions.
  return loadDocuments(readYamlDocuments(source), file, options);
}

function loadDocuments(read: ReadResult, file: string, options: LoadOptions): LoadResult {
  const findings: Finding[] = [];
  findings.push(...read.problems.map((p) => placeRead(p, file)));
  if (read.documents.length === 0 && read.problems.length === 0) {
    findings.push({
      severity: "error",
      code: "E_EMPTY_FILE",
      path: "",
      file,
      line: 1,
      col: 1,
      message: "the file holds no workflow",
      hint: "write a workflow: `name:`, `nodes:` and `edges:` (or Dagu's `steps:`)",
    });
  }
  const stem = fileStem(file);
  const parsed: Parsed[] = [];
  read.documents.forEach((doc, position) => {
    const before = findings.length;
    const place = (d: Draft, origin: Origin, name?: string) =>
      findings.push(placeDraft(d, doc, origin, file, name));
    const value = doc.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      place(
        {
          severity: "error",
          code: "E_NOT_A_MAPPING",
          path: [],
          message: `document ${doc.index + 1} is ${Array.isArray(value) ? "a list" : `the ${typeof value} ${JSON.stringify(value)}`}, not a workflow`,
          hint: "a workflow document is a mapping with `name:` and `nodes:` (or Dagu's `steps:`)",
        },
        identity,
      );
      return;
    }
    const record = value as Record<string, unknown>;
    const dagu = looksLikeDagu(record);
    const converted = dagu
      ? convertDagu(record, { fileStem: stem, isFirst: position === 0, documentIndex: doc.index })
      : undefined;
    const shaped: Record<string, unknown> = converted?.value ?? record;
    const origin = converted?.origin ?? identity;
    const name = typeof shaped.name === "string" ? shaped.name : undefined;
    for (const d of converted?.drafts ?? []) place(d, identity, name);
    const native = parseNative(shaped);
    if (!native.ok) for (const d of native.drafts) place(d, origin, name);
    const failed = findings.slice(before).some((f) => f.severity === "error");
    parsed.push({
      doc,
      origin,
      format: dagu ? "dagu" : "native",
      failed,
      ...(native.ok ? { workflow: native.workflow } : {}),
    });
  });

  const siblings = new Map<string, Workflow>();
  for (const p of parsed) {
    if (!p.workflow) continue;
    const name = p.workflow.name;
    if (siblings.has(name)) {
      findings.push(
        placeDraft(
          {
            severity: "error",
            code: "E_DUPLICATE_WORKFLOW",
            path: ["name"],
            message: `two workflows in this file are named \`${name}\``,
            hint: "names are unique within a file: rename one",
          },
          p.doc,
          p.origin,
          file,
          name,
        ),
      );
      p.failed = true;
      continue;
    }
    siblings.set(name, p.workflow);
  }

  const workflows: LoadedWorkflow[] = [];
  for (const p of parsed) {
    if (!p.workflow) continue;
    if (siblings.get(p.workflow.name) !== p.workflow) {
      // A second workflow of the same name: reported above; validating it would repeat findings.
      continue;
    }
    const workflow = normaliseWorkflow(p.workflow);
    const drafts = validateWorkflow(workflow, { ...options, siblings });
    const placed = drafts.map((d) =>
      placeDraft(d, p.doc, p.origin, file, workflow.name, p.format === "native"),
    );
    findings.push(...placed);
    const canonical = canonicalJson(workflow);
    workflows.push({
      workflow,
      document: p.doc.index,
      format: p.format,
      canonical,
      hash: sha256(canonical),
      valid: !p.failed && !hasErrors(placed),
    });
  }
  return { file, workflows, findings: sortFindings(findings) };
}

const identity: Origin = (path) => path;

function placeRead(p: ReadProblem, file: string): Finding {
  return {
    severity: p.severity,
    code: p.code,
    path: "",
    file,
    line: p.line,
    col: p.col,
    message: escapeControl(p.message),
    ...(p.hint ? { hint: escapeControl(p.hint) } : {}),
  };
}

function placeDraft(
  d: Draft,
  doc: SourceDocument,
  origin: Origin,
  file: string,
  workflow?: string,
  exactOffsets = true,
): Finding {
  const sourcePath = origin(d.path);
  const at =
    (d.offset !== undefined && exactOffsets && sourcePath === d.path
      ? doc.locateInScalar(sourcePath, d.offset)
      : undefined) ?? doc.locate(sourcePath, d.atKey && sourcePath === d.path);
  return toFinding(d, {
    file,
    line: at.line,
    col: at.col,
    ...(workflow !== undefined ? { workflow } : {}),
  });
}

/** `dir/etl.daily.yaml` -> `etl.daily`: Dagu's default name for a file's first workflow. */
export function fileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(ya?ml|json)$/i, "");
}

export interface CheckedWorkflow {
  workflow: Workflow;
  canonical: string;
  hash: string;
  findings: Finding[];
}

/**
 * Workflows already in memory (the designer's, or ones read back from the store), checked
 * together as one file would be: each sees the others as siblings. Findings carry paths, not
 * file positions.
 */
export function checkWorkflows(
  workflows: readonly Workflow[],
  options: LoadOptions = {},
): CheckedWorkflow[] {
  const normalised = workflows.map(normaliseWorkflow);
  const siblings = new Map(normalised.map((w) => [w.name, w]));
  return normalised.map((workflow) => {
    const canonical = canonicalJson(workflow);
    const findings = validateWorkflow(workflow, { ...options, siblings }).map((d) =>
      toFinding(d, { workflow: workflow.name }),
    );
    return { workflow, canonical, hash: sha256(canonical), findings };
  });
}
