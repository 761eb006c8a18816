/**
 * `npm run bench [-- NAME...] [-- --json]`: runs the named benchmarks (all when none is named),
 * prints a table for each, and with --json one JSON object with every figure as the last line.
 */

import type { BenchResult } from "./report.js";

// As bin/weft.js does: React's production build, as users run it. Set before React loads.
process.env.NODE_ENV ??= "production";
const { runCanvasBench } = await import("./canvas.js");
const { runEngineBench } = await import("./engine.js");
const { runMonitorBench } = await import("./monitor.js");
const { runSpecBench } = await import("./spec.js");
const { runStoreBench } = await import("./store.js");

const BENCHES: Record<string, () => BenchResult | Promise<BenchResult>> = {
  spec: runSpecBench,
  store: runStoreBench,
  engine: runEngineBench,
  canvas: runCanvasBench,
  monitor: runMonitorBench,
};

const args = process.argv.slice(2);
const json = args.includes("--json");
const names = args.filter((a) => !a.startsWith("--"));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}\n`,
  );
  process.exit(2);
}
// Each benchmark's figures at the top level, as its issue names them; with several benchmarks,
// also under the benchmark's name, since two issues may use one name (rss_mb).
const figures: Record<string, number | Record<string, number>> = {};
const chosen = names.length > 0 ? names : Object.keys(BENCHES);
for (const name of chosen) {
  const result = await BENCHES[name]!();
  process.stdout.write(`\n${result.title}\n${result.text}\n`);
  Object.assign(figures, result.figures);
  if (chosen.length > 1) figures[name] = result.figures;
}
if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
