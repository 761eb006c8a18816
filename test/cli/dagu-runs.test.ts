/**
 * Dagu's own integration files (../shared/conformance/dagu, read in place and never copied),
 * run on weft: the result must be the one Dagu's tests expect.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const corpus = resolve(import.meta.dirname, "../../../shared/conformance/dagu");
const { weft, write } = cliOnRedis("dagu-run");

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

describe.skipIf(!existsSync(corpus))(
  "Dagu's files: outputs, children and files with no steps",
  () => {
    it("gives a child's named outputs to its parent as Dagu writes them (`${CHILD.outputs.NAME}`)", async () => {
      const file = resolve(
        corpus,
        "internal__integration__localdag_test.go__TestLocalDAGExecution__SimpleLocalDAG.yaml",
      );
      expect((await weft("import", file)).code).toBe(0);
      const run = await weft("run", "parent-with-local-dags", "--wait");
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const id = run.stderr.match(/run ([0-9A-Z]{26})/)![1]!;
      expect((await weft("logs", id, "use-output")).stdout).toBe("Child said Hello, World!\n");
    });

    it("keeps a file with no steps, warning that there is nothing to run, and refuses to run it", async () => {
      const file = resolve(
        corpus,
        "internal__testdata__digraph__schedule_with_multiple_values.yaml",
      );
      const imported = await weft("import", file);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain("W_NO_NODES");
      const name = imported.stdout.split("\n")[1]!.split(/\s+/)[0]!;
      const run = await weft("run", name);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("has no nodes: there is nothing to run");
    });
  },
);

describe("Dagu's continueOn, imported and run", () => {
  it("goes on past a listed exit code or a matching line, and markSuccess counts it a success", async () => {
    write(
      "lenient.yaml",
      [
        "name: lenient",
        "type: graph",
        "steps:",
        "  - name: partial",
        "    command: sh -c 'echo copied 17 of 20; exit 23'",
        "    continueOn: { exitCode: [23, 24], markSuccess: true }",
        "  - name: warned",
        "    command: sh -c 'echo WARN disk nearly full; exit 1'",
        "    continueOn: { output: 're:^WARN' }",
        "  - name: after",
        "    command: echo done",
        "    depends: [partial, warned]",
        "",
      ].join("\n"),
    );
    const imported = await weft("import", "lenient.yaml");
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toContain("W_DAGU_UNSUPPORTED");
    const run = await weft("run", "lenient", "--wait");
    // `warned` failed and the run went on: partially_succeeded exits 0 and says so.
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/run partially_succeeded/);
    const id = run.stderr.match(/run ([0-9A-Z]{26})/)![1]!;
    const status = (await weft("status", id)).stdout;
    expect(status).toMatch(
      /partial +succeeded .*exited with code 23: marked succeeded \(continueOn\.markSuccess\)/,
    );
    expect(status).toMatch(/warned +failed .*exited with code 1/);
    expect(status).toMatch(/after +succeeded/);
    const exported = (await weft("export", "lenient")).stdout;
    // Exported without the defaults (`output: []`, `markSuccess: false`).
    expect(exported).toContain(
      "continueOn:\n      codes:\n        - 23\n        - 24\n      markSuccess: true\n",
    );
    expect(exported).toContain("continueOn:\n      output:\n        - re:^WARN\n  - id: after");
  });
});
