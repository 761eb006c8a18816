/** The README's workflow with every node kind and option validates as it is written. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflowBytes } from "../../src/spec/index.js";

describe("the README's every-kind workflow", () => {
  it("validates with no errors and uses every node kind", () => {
    const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
    const block = /<!-- every-kind -->\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const r = loadWorkflowBytes(Buffer.from(block!), "README.md");
    const errors = r.findings.filter((f) => f.severity === "error");
    expect(errors).toEqual([]);
    const kinds = new Set(r.workflows[0]?.workflow.nodes.map((n) => n.kind));
    expect([...kinds].sort()).toEqual(
      ["compensation", "decision", "delay", "exclusive", "parallel", "subworkflow", "task"].sort(),
    );
  });
});
