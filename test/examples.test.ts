import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflowText, toNativeYaml } from "../src/spec/index.js";

const dir = resolve(import.meta.dirname, "../examples");
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

describe("bundled examples", () => {
  it("include the seed's pipeline, saga and multi-workflow ETL", () => {
    expect(files).toEqual(
      expect.arrayContaining(["data-pipeline.yaml", "order-saga.yaml", "daily-etl.yaml"]),
    );
  });

  for (const file of files) {
    it(`${file} validates clean and exports to the same hashes`, () => {
      const r = loadWorkflowText(readFileSync(join(dir, file), "utf8"), file);
      expect(r.findings).toEqual([]);
      const again = loadWorkflowText(toNativeYaml(r.workflows.map((w) => w.workflow)), file);
      expect(again.workflows.map((w) => w.hash)).toEqual(r.workflows.map((w) => w.hash));
    });
  }
});
