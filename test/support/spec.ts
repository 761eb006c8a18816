import {
  type Finding,
  type LoadOptions,
  type LoadResult,
  loadWorkflowText,
} from "../../src/spec/index.js";

/** Loads YAML written inline in a test (indentation stripped), as `file`. */
export function load(yaml: string, file = "test.yaml", options: LoadOptions = {}): LoadResult {
  return loadWorkflowText(dedent(yaml), file, options);
}

export const codes = (r: { findings: Finding[] }): string[] => r.findings.map((f) => f.code);
export const errors = (r: { findings: Finding[] }): Finding[] =>
  r.findings.filter((f) => f.severity === "error");
export const find = (r: { findings: Finding[] }, code: string): Finding => {
  const f = r.findings.find((x) => x.code === code);
  if (!f)
    throw new Error(
      `no ${code} among: ${r.findings.map((x) => `${x.code} ${x.message}`).join("; ") || "no findings"}`,
    );
  return f;
};

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
}
