/** Findings as people read them (`file:line:col severity code message` + hint) and as JSON. */
import { escapeControl, type Finding } from "../spec/index.js";
import type { CliIo } from "./io.js";

export function wantsColour(io: CliIo, stream: "stdout" | "stderr" = "stdout"): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io[stream].isTTY);
}

const paint = (on: boolean, code: string, text: string) =>
  on ? `\x1b[${code}m${text}\x1b[0m` : text;

export function formatFinding(f: Finding, color: boolean): string {
  // The file name, names and ids are someone else's text: shown with control characters escaped.
  const where = `${escapeControl(f.file ?? "-")}:${f.line ?? 0}:${f.col ?? 0}`;
  const severity = paint(color, f.severity === "error" ? "31;1" : "33;1", f.severity);
  const subject = [
    f.workflow && `workflow ${escapeControl(f.workflow)}`,
    f.nodeId && `node ${escapeControl(f.nodeId)}`,
    f.edgeId && `edge ${escapeControl(f.edgeId)}`,
  ]
    .filter(Boolean)
    .join(", ");
  const lines = [
    `${paint(color, "1", where)} ${severity} ${f.code} ${escapeControl(f.message)}${subject ? paint(color, "2", ` [${subject}]`) : ""}`,
  ];
  if (f.hint) lines.push(`    ${paint(color, "36", "hint:")} ${escapeControl(f.hint)}`);
  return lines.join("\n");
}

export function summarise(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === "error").length;
  return { errors, warnings: findings.length - errors };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
