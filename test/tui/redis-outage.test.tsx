/**
 * The TUI while Redis restarts, on a real redis-server that is killed and started again: the
 * status line says `Redis unreachable at <URL>, retrying…`, editing goes on, nothing exits, and
 * when Redis is back the line clears and the draft reaches Redis.
 */
import { resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSessions } from "../../src/app/sessions.js";
import { Engine, Worker } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { type Connection, connectTo, storeKeys } from "../../src/store/index.js";
import { createLayoutService, type LayoutService } from "../../src/tui/canvas/layout-service.js";
import { openWeft, unmountAll } from "../support/ink-app.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";

const root = resolve(import.meta.dirname, "../..");
let server: RestartableRedis;
let layout: LayoutService;
let connection: Connection;
let prefix = 0;

beforeAll(async () => {
  server = await startRestartableRedis();
  layout = createLayoutService();
});
afterAll(async () => {
  layout.close();
  await server.stop();
});
afterEach(async () => {
  unmountAll();
  await server.start();
  await connection.close();
});

async function sessions() {
  connection = await connectTo(server.url, { mode: "resilient" });
  const keys = storeKeys(`outage${++prefix}`);
  const actor = { user: "ada", host: "test-host" };
  const engine = new Engine({ redis: connection.redis, keys, actor });
  const {
    designer: session,
    drafts,
    runs,
  } = openSessions({
    redis: connection.redis,
    keys,
    actor,
    registry: engine.registry,
    engine,
  });
  const outcome = await session.importFile("examples/data-pipeline.yaml", root);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.findings));
  return { session, drafts, engine, runs };
}

const notice = () => `Redis unreachable at ${server.url}, retrying…`;

describe("the TUI while Redis is away", () => {
  it("designer: says so in the status line, keeps editing, and saves the draft once Redis is back", async () => {
    const { session, drafts } = await sessions();
    const ui = openWeft(
      { session, layout, redis: connection, start: { type: "workflow", ref: "data-pipeline" } },
      { width: 120, height: 32 },
    );
    await ui.until("Valid ✓ · Nodes 7 · Edges 7 · v1");
    await server.kill();
    await ui.until(notice());
    await ui.press("n", "t");
    await ui.until("Nodes 8 · Edges 8 · v1 (unsaved)");
    await server.start();
    await ui.until((f) => !f.includes("Redis unreachable"));
    expect(ui.frame()).toContain("Nodes 8 · Edges 8 · v1 (unsaved)");
    for (let i = 0; i < 100 && !(await drafts.get("data-pipeline")); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(
      ((await drafts.get("data-pipeline"))?.workflow as { nodes: unknown[] } | undefined)?.nodes,
    ).toHaveLength(8);
  }, 30_000);

  it("runs list: says so, then shows the runs again", async () => {
    const { session, runs } = await sessions();
    const ui = openWeft(
      { session, runs, layout, redis: connection, start: { type: "runs" } },
      { width: 120, height: 32 },
    );
    await ui.until("No runs yet");
    await server.kill();
    await ui.until(notice());
    await server.start();
    await ui.until((f) => !f.includes("Redis unreachable"));
    expect(ui.frame()).toContain("No runs yet");
    await runs.close();
  }, 30_000);
});

describe("the run monitor while Redis is away", () => {
  it("says so in the status line and clears it when Redis is back", async () => {
    const { session, runs, engine } = await sessions();
    const id = await engine.startRun("data-pipeline", {});
    const ui = openWeft(
      { session, runs, layout, redis: connection, start: { type: "run", id } },
      { width: 120, height: 32 },
    );
    await ui.until("Fetch data");
    await server.kill();
    await ui.until(notice());
    expect(ui.frame()).toContain("Fetch data");
    await server.start();
    await ui.until((f) => !f.includes("Redis unreachable"));
    await runs.close();
  }, 30_000);
});

describe("the dead letters while Redis is away", () => {
  it("keeps the list on screen, says so, and reads it again when Redis is back", async () => {
    const { session, runs, engine } = await sessions();
    const saved = await engine.registry.save([
      WorkflowSchema.parse({
        name: "boom",
        nodes: [{ id: "charge", kind: "task", handler: "fail", retries: { max: 0 } }],
      }),
    ]);
    expect(saved.ok).toBe(true);
    const id = await engine.startRun("boom", {});
    await new Worker(engine, server.client(), { onlyRun: id }).run();
    const ui = openWeft(
      { session, runs, layout, redis: connection, start: { type: "runs" } },
      { width: 120, height: 32 },
    );
    await ui.until(id);
    await ui.press("D");
    await ui.until("Dead letters · 1");
    await server.kill();
    await ui.until(notice());
    await new Promise((r) => setTimeout(r, 1500));
    // Still there, still answering keys: the details open from what was read.
    expect(ui.frame()).toContain("failed on purpose");
    await ui.press("\r");
    await ui.until(`run       ${id}`);
    await ui.press("\x1b");
    await ui.until("LAST ERROR");
    await server.start();
    await ui.until((f) => !f.includes("Redis unreachable"));
    await engine.deadLetters.remove(id);
    await ui.until("No dead letters");
    await runs.close();
  }, 30_000);
});
