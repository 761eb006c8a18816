/** A finding is one problem in a workflow file: data, never an exception. */
import { escapeControl } from "./escape.js";

export type Severity = "error" | "warning";

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Finding {
  severity: Severity;
  /** Stable code tests and scripts match on, e.g. `E_CYCLE`, `W_DAGU_UNSUPPORTED`. */
  code: string;
  /** Where in the document, as a dotted path (`nodes.3.retries.max`); empty for the document. */
  path: string;
  file?: string;
  line?: number;
  col?: number;
  /** Which workflow of a multi-document file (its name, when it has one). */
  workflow?: string;
  nodeId?: string;
  edgeId?: string;
  message: string;
  hint?: string;
}

/** A finding before it is placed in a file: its path is still structured. */
export interface Draft {
  severity: Severity;
  code: string;
  path: Path;
  /** Point at the key of the last path segment instead of its value (unknown keys). */
  atKey?: boolean;
  nodeId?: string;
  edgeId?: string;
  message: string;
  hint?: string;
  /** Offset inside the scalar at `path` (CEL columns), added to its column when exact. */
  offset?: number;
}

export const error = (
  code: string,
  path: Path,
  message: string,
  more: Partial<Draft> = {},
): Draft => ({
  severity: "error",
  code,
  path,
  message,
  ...more,
});

export const warning = (
  code: string,
  path: Path,
  message: string,
  more: Partial<Draft> = {},
): Draft => ({ severity: "warning", code, path, message, ...more });

export const pathString = (path: Path): string => path.join(".");

/** The value at `path` inside `root`, or undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path)
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export const hasErrors = (findings: readonly { severity: Severity }[]): boolean =>
  findings.some((f) => f.severity === "error");

/** Orders findings by file position, then code, so output is stable run to run. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

/**
 * A draft made a finding; `where` adds the file position when the workflow came from a file.
 * Messages quote the file's own text (keys, names, values): control characters are escaped here,
 * once for every check, so no finding can carry a terminal escape to a screen.
 */
export function toFinding(
  d: Draft,
  where: { file?: string; line?: number; col?: number; workflow?: string } = {},
): Finding {
  const finding: Finding = {
    severity: d.severity,
    code: d.code,
    path: pathString(d.path),
    ...where,
    message: escapeControl(d.message),
  };
  if (d.nodeId !== undefined) finding.nodeId = d.nodeId;
  if (d.edgeId !== undefined) finding.edgeId = d.edgeId;
  if (d.hint !== undefined) finding.hint = escapeControl(d.hint);
  return finding;
}
