/**
 * `npm run bench -- store`: save a 100-node workflow and read a version, 1,000 operations each,
 * on the embedded server, beside the seed design's targets (create p50 100 ms / p99 500 ms).
 * The peer is the floor Redis itself sets: SET and GET of the same canonical JSON, same socket.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWorkflowText, type Workflow } from "../src/spec/index.js";
import {
  connectStore,
  stopEmbeddedRedis,
  storeKeys,
  WorkflowRegistry,
} from "../src/store/index.js";
import { generateWorkflow } from "./generate.js";
import { type BenchResult, percentile, table } from "./report.js";

const OPERATIONS = 1_000;

async function measure(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < OPERATIONS; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function runStoreBench(): Promise<BenchResult> {
  const home = mkdtempSync(join(tmpdir(), "wb-"));
  const conn = await connectStore({ WEFT_HOME: home });
  try {
    const workflow: Workflow = loadWorkflowText(generateWorkflow(100), "bench.yaml").workflows[0]!
      .workflow;
    const registry = new WorkflowRegistry(conn.redis, storeKeys("bench"), {
      user: "bench",
      host: "bench",
    });
    let revision = 0;
    // Each save changes the description, so every one writes a new version (no dedup shortcut).
    const save = await measure(async () => {
      const result = await registry.save([{ ...workflow, description: `revision ${++revision}` }]);
      if (!result.ok || !result.saved[0]!.created) throw new Error("save did not create a version");
    });
    const read = await measure(async (i) => registry.get(`${workflow.name}@${1 + (i % revision)}`));
    const payload = (await registry.get(workflow.name)).canonical;
    const peerSet = await measure(async (i) => conn.redis.set(`bench:peer:${i}`, payload));
    const peerGet = await measure(async (i) => conn.redis.get(`bench:peer:${i % OPERATIONS}`));
    const figures = {
      save_p50_ms: round(save.p50),
      save_p99_ms: round(save.p99),
      read_p50_ms: round(read.p50),
      read_p99_ms: round(read.p99),
    };
    const row = (
      op: string,
      ours: { p50: number; p99: number },
      peer: { p50: number; p99: number },
      seed: string,
    ) => [
      op,
      ours.p50.toFixed(2),
      ours.p99.toFixed(2),
      `${peer.p50.toFixed(2)} / ${peer.p99.toFixed(2)}`,
      `${(ours.p50 / peer.p50).toFixed(1)}x`,
      seed,
    ];
    const text = [
      table(
        [
          "operation (100 nodes)",
          "p50 ms",
          "p99 ms",
          "Redis SET/GET p50 / p99 (peer)",
          "p50 vs peer",
          "seed target p50 / p99",
        ],
        [
          row("save a new version", save, peerSet, "100 / 500 ms"),
          row("read a version", read, peerGet, "-"),
        ],
      ),
      `${OPERATIONS} operations each, embedded Redis over its unix socket; payload ${(payload.length / 1024).toFixed(0)} KiB of canonical JSON`,
      `goal: p99 under 5 ms for both (save ${figures.save_p99_ms} ms, read ${figures.read_p99_ms} ms)`,
    ].join("\n");
    return { title: "store: save and read on the embedded server", text, figures };
  } finally {
    await conn.close();
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
