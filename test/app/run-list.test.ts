/** Listing runs a page at a time on a real Redis: newest first, filters, pages that add up. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns } from "../../src/app/runs/run-list.js";
import { Engine } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { storeKeys } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let server: TestRedis;
const keys = storeKeys("list");
let ids: string[] = [];

beforeAll(async () => {
  server = await startRedis();
  const engine = new Engine({ redis: server.redis, keys, actor: { user: "ada", host: "h" } });
  for (const name of ["alpha", "beta"]) {
    const saved = await engine.registry.save([
      WorkflowSchema.parse({ name, nodes: [{ id: "a", kind: "task", handler: "noop" }] }),
    ]);
    if (!saved.ok) throw new Error(JSON.stringify(saved.findings));
  }
  // 450 runs, every third of beta; ids are ULIDs, so creation order is id order.
  for (let i = 0; i < 450; i++) ids.push(await engine.startRun(i % 3 === 0 ? "beta" : "alpha", {}));
  ids = ids.reverse();
  await engine.cancelRun(ids[5]!, "enough");
});
afterAll(() => server.stop());

describe("listing runs", () => {
  it("pages through every run newest first, each page read where the last one stopped", async () => {
    const seen: string[] = [];
    let from: number | undefined = 0;
    let pages = 0;
    while (from !== undefined) {
      const page = await listRuns(server.redis, keys, {}, 100, from);
      seen.push(...page.rows.map((r) => r.id));
      from = page.next;
      pages++;
    }
    expect(seen).toEqual(ids);
    expect(pages).toBe(5);
  });

  it("filters by workflow, status and text, filling each page", async () => {
    const beta = await listRuns(server.redis, keys, { workflow: "beta" }, 40);
    expect(beta.rows).toHaveLength(40);
    expect(beta.rows.every((r) => r.workflow === "beta")).toBe(true);
    const cancelled = await listRuns(server.redis, keys, { status: "cancelled" }, 10);
    expect(cancelled.rows.map((r) => r.id)).toEqual([ids[5]]);
    expect(cancelled.next).toBeUndefined();
    const text = await listRuns(server.redis, keys, { text: ids[7]!.slice(-8).toLowerCase() }, 10);
    expect(text.rows.map((r) => r.id)).toEqual([ids[7]]);
    const queued = await listRuns(server.redis, keys, { status: "queued", workflow: "alpha" }, 500);
    // Two in three are alpha's; the cancelled one (the 445th started) is beta's.
    expect(queued.rows).toHaveLength(300);
  });
});
