/**
 * The app as the designer's and the monitor's tests drive it: one real Redis and one layout
 * thread per file, and for each test fresh keys, an engine, the app's sessions and (unless told
 * otherwise) an in-process worker on `default`, taken down after it. Read the fields inside a
 * test (they change from test to test).
 */
import { resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { DesignerSession } from "../../src/app/designer/session.js";
import type { RunSession } from "../../src/app/runs/run-session.js";
import { openSessions } from "../../src/app/sessions.js";
import { Engine, Worker } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import {
  DraftStore,
  LayoutCache,
  type StoreKeys,
  storeKeys,
  WorkflowRegistry,
} from "../../src/store/index.js";
import type { Start } from "../../src/tui/app.js";
import { createLayoutService, type LayoutService } from "../../src/tui/canvas/layout-service.js";
import { openWeft, unmountAll } from "./ink-app.js";
import { startRedis, type TestRedis } from "./redis.js";

const root = resolve(import.meta.dirname, "../..");

export interface AppOnRedis {
  server: TestRedis;
  layout: LayoutService;
  keys: StoreKeys;
  engine: Engine;
  designer: DesignerSession;
  runs: RunSession;
  /** Counts the tests of the file: part of each test's key prefix. */
  test: number;
  /** Saves a workflow, or throws with its findings. */
  save(spec: unknown): Promise<void>;
  open(
    start: Start,
    size: { width: number; height: number },
    more?: Partial<Parameters<typeof openWeft>[0]>,
  ): ReturnType<typeof openWeft>;
  /** A designer session on the same keys as someone else (another user, or an ACL role). */
  sessionFor(user: string, aclUser?: string): DesignerSession;
}

export interface AppOptions {
  concurrency?: number;
  /** Example files imported before each test. */
  examples?: string[];
  /** Who the app's sessions act as (`grace` on `ops-box` unless told). */
  actor?: { user: string; host: string };
  /** No worker: runs wait for one (the designer's tests need none). */
  worker?: boolean;
}

export function appOnRedis(tag: string, options: AppOptions = {}): AppOnRedis {
  const actor = options.actor ?? { user: "grace", host: "ops-box" };
  let worker: Worker | undefined;
  let working: Promise<void> | undefined;
  const app = {
    test: 0,
    async save(spec: unknown) {
      const result = await app.engine.registry.save([WorkflowSchema.parse(spec)]);
      if (!result.ok) throw new Error(JSON.stringify(result.findings));
    },
    open(start, size, more) {
      return openWeft(
        { session: app.designer, runs: app.runs, layout: app.layout, start, ...more },
        size,
      );
    },
    sessionFor(user, aclUser) {
      const who = { ...actor, user, ...(aclUser ? { aclUser } : {}) };
      return new DesignerSession({
        registry: new WorkflowRegistry(app.server.redis, app.keys, who),
        drafts: new DraftStore(app.server.redis, app.keys, user),
        layouts: new LayoutCache(app.server.redis, app.keys),
        actor: who,
      });
    },
  } as AppOnRedis;

  beforeAll(async () => {
    app.server = await startRedis();
    app.layout = createLayoutService();
  });
  afterAll(async () => {
    app.layout.close();
    await app.server.stop();
  });
  beforeEach(async () => {
    app.keys = storeKeys(`${tag}${++app.test}`);
    app.engine = new Engine({ redis: app.server.redis, keys: app.keys, actor });
    ({ designer: app.designer, runs: app.runs } = openSessions({
      redis: app.server.redis,
      keys: app.keys,
      actor,
      registry: app.engine.registry,
      engine: app.engine,
    }));
    for (const file of options.examples ?? []) {
      const outcome = await app.designer.importFile(file, root);
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.findings));
    }
    if (options.worker === false) return;
    worker = new Worker(app.engine, app.server.client(), {
      concurrency: options.concurrency ?? 4,
      queues: ["default"],
    });
    working = worker.run();
  });
  afterEach(async () => {
    unmountAll();
    await worker?.stop(1000);
    await working;
    worker = undefined;
    working = undefined;
    await app.runs.close();
  });
  return app;
}
