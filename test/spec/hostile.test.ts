import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadWorkflowBytes, loadWorkflowText } from "../../src/spec/index.js";

const codesOf = (text: string) =>
  loadWorkflowText(text, "hostile.yaml").findings.map((f) => f.code);

describe("hostile files are findings, not crashes", () => {
  it("caps alias expansion (billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    expect(codesOf(levels.join("\n"))).toEqual(["E_YAML_ALIASES"]);
  });

  it("refuses nesting thousands deep", () => {
    expect(codesOf(`name: x\nmetadata: ${"[".repeat(5000)}${"]".repeat(5000)}\n`)).toContain(
      "E_TOO_DEEP",
    );
    const block = Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    expect(codesOf(`${block} 1\n`)).toContain("E_TOO_DEEP");
    expect(codesOf(`name: x\nmetadata: ${"[".repeat(100)}${"]".repeat(100)}\n`)).toEqual([
      "E_TOO_DEEP",
    ]);
  });

  it("refuses multi-megabyte strings", () => {
    expect(codesOf(`name: x\ndescription: "${"x".repeat(3_000_000)}"\nnodes: []\n`)).toEqual([
      "E_VALUE_TOO_LARGE",
    ]);
  });

  it("points at the first byte that is not UTF-8", () => {
    const bytes = Buffer.concat([
      Buffer.from("name: x\ndescription: caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
    ]);
    const r = loadWorkflowBytes(bytes, "latin1.yaml");
    expect(r.findings).toEqual([
      expect.objectContaining({ code: "E_ENCODING", line: 2, col: 17, file: "latin1.yaml" }),
    ]);
  });

  it("reports duplicate keys and tabs with their position", () => {
    const dup = loadWorkflowText("name: x\nname: y\nnodes: []\n", "d.yaml").findings;
    expect(dup[0]).toMatchObject({ code: "E_YAML_DUPLICATE_KEY", line: 2, col: 1 });
    const tab = loadWorkflowText("name: x\nnodes:\n\t- id: a\n", "t.yaml").findings;
    expect(tab[0]).toMatchObject({ code: "E_YAML_TAB", line: 3 });
  });

  it("says an empty file or a file of only separators holds no workflow", () => {
    expect(codesOf("")).toEqual(["E_EMPTY_FILE"]);
    expect(codesOf("---\n---\n---\n")).toEqual(["E_EMPTY_FILE"]);
    expect(codesOf("# just a comment\n")).toEqual(["E_EMPTY_FILE"]);
  });

  it("reads a file with a byte-order mark", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("name: x\nnodes: [{id: a, kind: task, handler: noop}]\n"),
    ]);
    expect(loadWorkflowBytes(bytes, "bom.yaml").findings).toEqual([]);
  });

  it("never runs anything in a spec: commands and names are data", () => {
    const marker = `/tmp/weft-never-${process.pid}`;
    const r = loadWorkflowText(
      `name: x\nenv:\n  - A: "\`touch ${marker}\`"\nsteps:\n  - name: "$(touch ${marker})"\n    command: touch ${marker}\n    preconditions: touch ${marker}\n`,
      "exec.yaml",
    );
    expect(r.workflows).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});
