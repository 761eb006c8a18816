/**
 * Fuzzing the inputs someone else writes: workflow files (native and Dagu), parameters from the
 * command line and CEL expressions. Whatever comes in, the answer is findings or problems with a
 * message, never an exception, a hang or a stack trace. Bounded for `npm test` (a few seconds);
 * `npm run fuzz` runs many more cases (FUZZ_RUNS).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkExpression,
  loadWorkflowText,
  parseParamAssignments,
  toNativeYaml,
} from "../../src/spec/index.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const root = resolve(import.meta.dirname, "../..");
const examples = ["data-pipeline", "daily-etl", "order-saga", "dagu-deploy"].map((name) =>
  readFileSync(join(root, "examples", `${name}.yaml`), "utf8"),
);

/** Pieces YAML, weft and Dagu files are made of, so generated text gets past the first line. */
const token = fc.constantFrom(
  "name: ",
  "nodes:",
  "steps:",
  "edges:",
  "parameters:",
  "\n",
  "\n  ",
  "\n  - ",
  "- ",
  "id: ",
  "kind: ",
  "task",
  "decision",
  "subworkflow",
  "handler: shell",
  "with: {command: [echo, '${params.x}']}",
  "condition: ",
  "params.x > 1",
  "${",
  "}",
  "{",
  "[",
  "]",
  ": ",
  "&a ",
  "*a",
  "<<: *a",
  "__proto__: ",
  "constructor",
  "depends: ",
  "command: ",
  "'",
  '"',
  "\\",
  "---\n",
  "# c\n",
  "!!str ",
  "? ",
  "|",
  ">",
  "\t",
  "\u0000",
  "\u001b[2J",
  "x".repeat(200),
);
const yamlish = fc
  .array(fc.oneof(token, fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => parts.join(""));

/** A valid example with a few characters changed, cut or added at random places. */
const mutated = fc
  .tuple(
    fc.constantFrom(...examples),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 6 })), {
      minLength: 1,
      maxLength: 5,
    }),
  )
  .map(([text, edits]) =>
    edits.reduce((t, [at, cut, add]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + add + t.slice(i + cut);
    }, text),
  );

function expectFindingsOnly(text: string) {
  const result = loadWorkflowText(text, "fuzz.yaml");
  for (const finding of result.findings) {
    expect(finding.code).toMatch(/^[EW]_[A-Z0-9_]+$/);
    expect(finding.message).not.toMatch(/\n\s+at /);
  }
  // What loads cleanly must also write out and read back.
  if (result.findings.every((f) => f.severity !== "error"))
    for (const w of result.workflows) expect(() => toNativeYaml([w.workflow])).not.toThrow();
}

describe("fuzz: nothing someone writes crashes weft", () => {
  it("reads arbitrary YAML-like text as findings", () => {
    fc.assert(fc.property(yamlish, expectFindingsOnly), { numRuns: RUNS * 2 });
  });

  it("reads mangled copies of the examples as findings", () => {
    fc.assert(fc.property(mutated, expectFindingsOnly), { numRuns: RUNS });
  });

  it("turns any `-p` text into parameters or problems", () => {
    const declared = {
      n: { type: "number" as const, required: false },
      i: { type: "integer" as const, required: false },
      b: { type: "boolean" as const, required: false },
      e: { type: "enum" as const, required: false, enum: ["a", "b"] },
      o: { type: "object" as const, required: false },
      l: { type: "array" as const, required: false },
    };
    const pair = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.constantFrom("n", "i", "b", "e", "o", "l", "x", "__proto__", ""), fc.string())
        .map(([k, v]) => `${k}=${v}`),
      fc.tuple(fc.constantFrom("o", "l"), fc.json()).map(([k, v]) => `${k}=${v}`),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (pairs) => {
        const { params, problems } = parseParamAssignments(pairs, declared);
        expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
        for (const p of problems) expect(typeof p.message).toBe("string");
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("checks any CEL text with a message and a column, never an exception", () => {
    const piece = fc.constantFrom(
      "params.x",
      "nodes.a.output",
      "run.id",
      " && ",
      " || ",
      " ? ",
      " : ",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      ".",
      "size(",
      "'a'",
      '"',
      "1",
      "1.5",
      "-",
      "+",
      " in ",
      "has(",
      "==",
      "!",
      "\\",
      "b'",
      "0x",
      "9223372036854775808",
    );
    const expression = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(piece, { maxLength: 20 }).map((p) => p.join("")),
    );
    const scope = {
      parameters: { x: { type: "number" as const, required: false } },
      nodeIds: ["a"],
    };
    fc.assert(
      fc.property(expression, (text) => {
        const result = checkExpression(text, scope);
        if (!result.ok) {
          expect(result.message.length).toBeGreaterThan(0);
          expect(result.offset).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
