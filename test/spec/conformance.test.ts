/**
 * Dagu's own files, valid and broken (../shared/conformance/dagu, read in place and never
 * copied: they are GPL-3.0). Each must load without an exception, with exactly these errors.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflowBytes } from "../../src/spec/index.js";

const corpus = resolve(import.meta.dirname, "../../../shared/conformance/dagu");

/** File (without .yaml) -> the error codes weft reports; an empty list means it imports. */
const VERDICTS: [string, string[]][] = [
  ["docs__writing-workflows__examples.md__Complete-DAG-Configuration", []],
  ["docs__writing-workflows__examples.md__GPU-Task-Routing", []],
  ["docs__writing-workflows__examples.md__Multiple-DAGs-in-One-File", []],
  ["docs__writing-workflows__examples.md__Steps-as-Map-vs-Array", ["E_DAGU_NAME_REQUIRED"]],
  ["examples__embedded__local__workflow", []],
  ["examples__example_workflow", ["E_CYCLE"]],
  ["examples__registry-auth-example", []],
  ["internal__core__spec__builder_test.go__TestOptionalStepNames__MixedExplicitAndGenerated", []],
  [
    "internal__core__spec__builder_test.go__TestOptionalStepNames__PromotedIDConflictsWithExplicitName",
    ["E_DUPLICATE_STEP"],
  ],
  [
    "internal__digraph__builder_test.go__TestStepIDValidation__DuplicateIDs",
    ["E_DUPLICATE_STEP_ID"],
  ],
  [
    "internal__digraph__loader_test.go__TestMultiDAGFile__ChildDAGWithoutName",
    ["E_DAGU_NAME_REQUIRED"],
  ],
  ["internal__digraph__loader_test.go__TestMultiDAGFile__ComplexMultiDAGWithParameters", []],
  [
    "internal__digraph__loader_test.go__TestMultiDAGFile__DuplicateChildDAGNames",
    ["E_DUPLICATE_WORKFLOW"],
  ],
  ["internal__digraph__loader_test.go__TestMultiDAGFile__EmptyDocumentSeparator", []],
  ["internal__digraph__loader_test.go__TestMultiDAGFile__LoadMultipleDAGs", []],
  [
    "internal__integration__localdag_test.go__TestLocalDAGExecution__LocalDAGReferencesNonExistent",
    [],
  ],
  [
    "internal__integration__localdag_test.go__TestLocalDAGExecution__LocalDAGWithConditionalExecution",
    [],
  ],
  ["internal__integration__localdag_test.go__TestLocalDAGExecution__NestedLocalDAGs", []],
  ["internal__integration__localdag_test.go__TestLocalDAGExecution__SimpleLocalDAG", []],
  ["internal__intg__subdag_test.go__TestInlineSubDAG__ThreeLevelNestingWithOutputPassing", []],
  ["internal__testdata__digraph__chain_no_dependencies", []],
  ["internal__testdata__digraph__chain_with_explicit_depends", []],
  ["internal__testdata__digraph__continue_on", []],
  ["internal__testdata__digraph__err_decode", ["E_MISSING_FIELD", "E_UNKNOWN_KEY"]],
  ["internal__testdata__digraph__err_parse", ["E_NOT_A_MAPPING"]],
  ["internal__testdata__digraph__invalid_env", []],
  ["internal__testdata__digraph__invalid_no_command", ["E_DAGU_NOTHING_TO_RUN"]],
  ["internal__testdata__digraph__invalid_no_name", []],
  ["internal__testdata__digraph__invalid_schedule", ["E_CRON"]],
  ["internal__testdata__digraph__invalid_type", ["E_DAGU_TYPE"]],
  ["internal__testdata__digraph__preconditions", []],
  ["internal__testdata__digraph__retry_policy_backoff", []],
  ["internal__testdata__digraph__schedule_with_multiple_values", []],
  ["internal__testdata__digraph__sub_dag", []],
  ["internal__testdata__digraph__valid_handlers", []],
  ["internal__testdata__integration__call-sub", []],
  ["internal__testdata__integration__complex-dependencies", []],
  ["internal__testdata__integration__environment-var", []],
  ["internal__testdata__integration__skipped-preconditions", []],
  ["internal__testdata__integration__sub", []],
];

/** Files with no steps: Dagu loads them, and so does weft (warning that there is nothing to run). */
const NO_STEPS = new Set([
  "internal__testdata__digraph__invalid_env",
  "internal__testdata__digraph__preconditions",
  "internal__testdata__digraph__schedule_with_multiple_values",
  "internal__testdata__digraph__valid_handlers",
]);

describe.skipIf(!existsSync(corpus))("the Dagu conformance corpus", () => {
  for (const [name, expected] of VERDICTS) {
    it(`${name}: ${expected.length === 0 ? "imports" : expected.join(", ")}`, () => {
      const file = join(corpus, `${name}.yaml`);
      const r = loadWorkflowBytes(readFileSync(file), file);
      const errors = [
        ...new Set(r.findings.filter((f) => f.severity === "error").map((f) => f.code)),
      ].sort();
      expect(errors).toEqual(expected);
      for (const f of r.findings) expect(f.line).toBeGreaterThan(0);
      // A file with no steps (a base, schedule-only or handler-only file) is kept, with a warning.
      if (NO_STEPS.has(name)) expect(r.findings.map((f) => f.code)).toContain("W_NO_NODES");
    });
  }
});
