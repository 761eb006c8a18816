/**
 * `npm run bench -- spec`: read, validate and hash generated workflows of 100, 500 and 2,000
 * nodes (median of 20 runs). A clean file takes the fast reader; a file with a finding is read
 * again with positions, so that case is timed too. The peer is the floor a reader built on the
 * yaml package pays: parsing the same text with it alone, measured in the same run.
 */
import { parseAllDocuments } from "yaml";
import { loadWorkflowText } from "../src/spec/index.js";
import { generateWorkflow } from "./generate.js";
import { type BenchResult, median, peakRssMb, table } from "./report.js";

const SIZES = [100, 500, 2000];
const RUNS = 20;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function medianOf(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  return median(Array.from({ length: RUNS }, () => time(fn)));
}

/** The same workflow plus one call to a workflow that is not in the file: one warning. */
const withOneFinding = (text: string) =>
  text.replace(
    "\nedges:\n",
    "\n  - id: extra\n    kind: subworkflow\n    workflow: elsewhere\nedges:\n",
  );

export function runSpecBench(): BenchResult {
  const texts = SIZES.map((size) => generateWorkflow(size));
  texts.forEach((text, i) => {
    const r = loadWorkflowText(text, "bench.yaml");
    if (r.findings.length > 0)
      throw new Error(
        `generated ${SIZES[i]}-node workflow is not clean: ${JSON.stringify(r.findings.slice(0, 3))}`,
      );
    if (loadWorkflowText(withOneFinding(text), "bench.yaml").findings.length !== 1)
      throw new Error("expected exactly one finding");
  });
  const clean = texts.map((text) => medianOf(() => loadWorkflowText(text, "bench.yaml")));
  const rss = peakRssMb();
  const finding = texts.map((text) => {
    const marked = withOneFinding(text);
    return medianOf(() => loadWorkflowText(marked, "bench.yaml"));
  });
  const peer = texts.map((text) => medianOf(() => parseAllDocuments(text)));
  const rows = SIZES.map((size, i) => [
    String(size),
    `${(texts[i]!.length / 1024).toFixed(0)} KiB`,
    clean[i]!.toFixed(1),
    finding[i]!.toFixed(1),
    peer[i]!.toFixed(1),
    `${(clean[i]! / peer[i]!).toFixed(2)}x`,
  ]);
  const figures: Record<string, number> = {};
  SIZES.forEach((size, i) => {
    figures[`validate_ms_${size}`] = round(clean[i]!);
    figures[`validate_with_finding_ms_${size}`] = round(finding[i]!);
  });
  figures.rss_mb = round(rss);
  const goals = `goals: 500 nodes < 25 ms (${figures.validate_ms_500} ms), 2,000 nodes < 100 ms (${figures.validate_ms_2000} ms)`;
  return {
    title: "spec: read + validate + hash (median of 20 runs)",
    text: `${table(["nodes", "file", "clean ms", "1 finding ms", "yaml pkg parse ms (peer)", "clean / peer"], rows)}\npeak RSS of weft's runs ${figures.rss_mb} MB\n${goals}`,
    figures,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
