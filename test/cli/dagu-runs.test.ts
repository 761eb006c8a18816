/**
 * Dagu's own integration files (../shared/conformance/dagu, read in place and never copied),
 * run on weft: the result must be the one Dagu's tests expect.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const corpus = resolve(import.meta.dirname, "../../../shared/conformance/dagu");
const { weft } = cliOnRedis("dagu-run");

describe.skipIf(!existsSync(corpus))("Dagu's integration files run as Dagu runs them", () => {
  it("gives the DAG-level env to every step: the production branch runs, the development one is skipped", async () => {
    const file = resolve(
      corpus,
      "internal__integration__localdag_test.go__TestLocalDAGExecution__LocalDAGWithConditionalExecution.yaml",
    );
    expect((await weft("import", file)).code).toBe(0);
    const run = await weft("run", "conditional-local-dag", "--wait");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/run-prod-dag {2}succeeded/);
    expect(run.stdout).toMatch(/run-dev-dag {2}skipped/);
    expect(run.stdout).toMatch(/run succeeded\n$/);
  });
});
