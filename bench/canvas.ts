/**
 * `npm run bench -- canvas`: the designer's canvas on generated workflows (bench/canvas-workload.ts)
 * of 50, 500 and 2,000 nodes, top to bottom with full boxes. elk layout time (median of 5 runs
 * at 50, 3 at 500, one run at 2000, after one warm-up layout), the provisional layout at 2000,
 * rasterising a 200x50 viewport panned over the 500- and 2000-node canvases, and peak RSS.
 * Each figure is printed beside its goal.
 *
 * To add a figure, push a row with `measured(...)` in runCanvasBench; the table and the JSON
 * figures follow.
 */
import {
  type CellGeometry,
  type LayoutOptions,
  layoutWithElk,
  provisionalLayout,
  rasterise,
} from "../src/layout/index.js";
import { generateLayoutInput } from "./canvas-workload.js";
import { measureDesignerFrames, measureDesignerRss } from "./designer-frames.js";
import { type BenchResult, median, peakRssMb, percentile, table } from "./report.js";

const OPTIONS: LayoutOptions = { direction: "down", density: "full" };
const VIEWPORT = { width: 200, height: 50 };

interface Figure {
  key: string;
  what: string;
  value: number;
  unit: string;
  /** The figure must stay at or under this. */
  goal?: number;
}

const measured = (key: string, what: string, value: number, unit: string, goal?: number) => ({
  key,
  what,
  value,
  unit,
  ...(goal === undefined ? {} : { goal }),
});

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function elkMedian(nodeCount: number, runs: number): Promise<number> {
  const input = generateLayoutInput(nodeCount);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeAsync(() => layoutWithElk(input, OPTIONS)));
  return median(times);
}

/**
 * Pans a viewport over the canvas in a serpentine of small steps (as arrow keys and page keys
 * do) and times each frame. The first frame also builds the geometry's spatial index.
 */
function panFrames(geometry: CellGeometry, frames: number): { sorted: number[]; first: number } {
  const times: number[] = [];
  const maxX = Math.max(0, geometry.width - VIEWPORT.width);
  const maxY = Math.max(0, geometry.height - VIEWPORT.height);
  let x = 0;
  let y = 0;
  let dx = 7;
  for (let i = 0; i < frames; i++) {
    const start = performance.now();
    rasterise(geometry, { x, y, ...VIEWPORT }, { glyphs: "unicode", selected: "n3" });
    times.push(performance.now() - start);
    x += dx;
    if (x > maxX || x < 0) {
      dx = -dx;
      x = Math.max(0, Math.min(maxX, x));
      y = y + 12 > maxY ? 0 : y + 12;
    }
  }
  const first = times[0]!;
  return { sorted: times.slice(1).sort((a, b) => a - b), first };
}

export async function runCanvasBench(): Promise<BenchResult> {
  await layoutWithElk(generateLayoutInput(120, 3), OPTIONS); // warm up the JIT
  const figures: Figure[] = [];

  figures.push(measured("layout_ms_50", "elk layout, 50 nodes", await elkMedian(50, 5), "ms"));
  figures.push(
    measured("layout_ms_500", "elk layout, 500 nodes", await elkMedian(500, 3), "ms", 1000),
  );
  const big = generateLayoutInput(2000);
  let geometry2000: CellGeometry | undefined;
  const elk2000 = await timeAsync(async () => {
    geometry2000 = await layoutWithElk(big, OPTIONS);
  });
  figures.push(measured("layout_ms_2000", "elk layout, 2000 nodes", elk2000, "ms", 8000));
  const provisional = median(
    Array.from({ length: 5 }, () => {
      const start = performance.now();
      provisionalLayout(big, OPTIONS);
      return performance.now() - start;
    }),
  );
  figures.push(
    measured("provisional_ms_2000", "provisional layout, 2000 nodes", provisional, "ms", 50),
  );

  const geometry500 = await layoutWithElk(generateLayoutInput(500), OPTIONS);
  const pan500 = panFrames(geometry500, 600);
  figures.push(
    measured("raster_first_ms_500", "first 200x50 frame + index, 500", pan500.first, "ms"),
    measured(
      "raster_p50_ms_500",
      "200x50 frame p50, 500 nodes",
      percentile(pan500.sorted, 50),
      "ms",
      2,
    ),
    measured(
      "raster_p99_ms_500",
      "200x50 frame p99, 500 nodes",
      percentile(pan500.sorted, 99),
      "ms",
      16,
    ),
  );
  const pan2000 = panFrames(geometry2000!, 600);
  figures.push(
    measured(
      "raster_p50_ms_2000",
      "200x50 frame p50, 2000 nodes",
      percentile(pan2000.sorted, 50),
      "ms",
      2,
    ),
    measured(
      "raster_p99_ms_2000",
      "200x50 frame p99, 2000 nodes",
      percentile(pan2000.sorted, 99),
      "ms",
      16,
    ),
  );
  // This process has run every layout above (elk in this thread, 50 to 2000 nodes) and the
  // rasteriser; the designer's own figure follows from a process of its own.
  figures.push(measured("rss_mb_2000", "peak RSS of this bench process", peakRssMb(), "MB"));
  const rss = await measureDesignerRss();
  if (rss)
    figures.push(
      measured(
        "designer_rss_mb_2000",
        "peak RSS, weft design of 2000 nodes (elk)",
        rss.designer_rss_mb_2000,
        "MB",
        150,
      ),
      measured(
        "designer_rss_now_mb_2000",
        "its RSS at rest after the layout",
        rss.designer_rss_now_mb_2000,
        "MB",
      ),
    );

  // The designer itself (Ink, the frame writer, the store, the layout worker) on a saved
  // 500-node workflow.
  const frames = await measureDesignerFrames();
  const at = (size: string) => frames.sizes.find((f) => f.size === size)!;
  const [small, large] = [at("80x24"), at("200x50")];
  figures.push(
    measured("open_ms_500", "open a saved 500-node workflow, 200x50", large.open_ms, "ms", 100),
    measured(
      "keystroke_p50_ms_500_200x50",
      "keystroke to frame p50, 200x50",
      large.keystroke_p50_ms,
      "ms",
      16,
    ),
    measured(
      "keystroke_p99_ms_500_200x50",
      "keystroke to frame p99, 200x50",
      large.keystroke_p99_ms,
      "ms",
      16,
    ),
    measured(
      "keystroke_p99_ms_500_80x24",
      "keystroke to frame p99, 80x24",
      small.keystroke_p99_ms,
      "ms",
      8,
    ),
    measured(
      "key_bytes_200x50",
      "bytes per selection move (median), 200x50",
      large.key_bytes,
      "B",
      2048,
    ),
    measured(
      "key_bytes_mean_200x50",
      "bytes per selection move (mean, scrolls too)",
      large.key_bytes_mean,
      "B",
    ),
    measured(
      "key_cpu_ms_200x50",
      "CPU per keystroke (+40 ms after), 200x50",
      large.key_cpu_ms,
      "ms",
    ),
  );

  const canvas = (g: CellGeometry) => `${g.width}x${g.height} cells`;
  const text = [
    table(
      ["figure", "what", "value", "goal", "ok"],
      figures.map((f) => [
        f.key,
        f.what,
        `${f.value.toFixed(f.value < 10 ? 2 : 0)} ${f.unit}`,
        f.goal === undefined ? "" : `≤ ${f.goal} ${f.unit}`,
        f.goal === undefined ? "" : f.value <= f.goal ? "yes" : "NO",
      ]),
    ),
    `canvases: 500 nodes ${canvas(geometry500)}, 2000 nodes ${canvas(geometry2000!)}; ` +
      `direction ${OPTIONS.direction}, density ${OPTIONS.density}; elk runs in this thread here`,
    "",
    rss
      ? "designer RSS: the built `weft design` in tmux at 200x50 (layout worker included)"
      : "designer RSS not measured: it needs tmux and a build in dist/ (npm run build)",
    "",
    "the designer on a saved 500-node workflow (move the selection, flip a property):",
    table(
      [
        "terminal",
        "open ms",
        "key→frame p50 ms",
        "key→frame p99 ms",
        "CPU ms/key",
        "p99 moves",
        "p99 edits",
        "bytes/move median",
        "mean",
        "max (a scroll)",
        "whole frame bytes",
      ],
      frames.sizes.map((f) => [
        f.size,
        f.open_ms.toFixed(1),
        f.keystroke_p50_ms.toFixed(2),
        f.keystroke_p99_ms.toFixed(2),
        f.key_cpu_ms.toFixed(2),
        f.move_p99_ms.toFixed(2),
        f.edit_p99_ms.toFixed(2),
        f.key_bytes.toFixed(0),
        f.key_bytes_mean.toFixed(0),
        String(f.key_bytes_max),
        String(f.frame_bytes),
      ]),
    ),
  ].join("\n");
  return {
    title: "canvas: layout and rasterising of generated workflows",
    text,
    figures: Object.fromEntries(figures.map((f) => [f.key, Math.round(f.value * 100) / 100])),
  };
}
