import { Engine, Worker, type WorkerEvent, type WorkerOptions } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { storeKeys } from "../../src/store/index.js";
import type { TestRedis } from "../support/redis.js";

let prefix = 0;

/** An engine on its own key prefix, with helpers to save workflows and drive runs to the end. */
export function engineOn(server: TestRedis) {
  const keys = storeKeys(`e${++prefix}`);
  const engine = new Engine({ redis: server.redis, keys, actor: { user: "ada", host: "box" } });
  return {
    engine,
    keys,
    async save(spec: unknown) {
      const result = await engine.registry.save([WorkflowSchema.parse(spec)]);
      if (!result.ok) throw new Error(JSON.stringify(result.findings));
    },
    /** Runs `ref` to its end in-process and returns the final record and the events seen. */
    async runToEnd(ref: string, params: Record<string, unknown> = {}, options: WorkerOptions = {}) {
      const id = await engine.startRun(ref, params);
      const events: WorkerEvent[] = [];
      const worker = new Worker(engine, server.client(), {
        onlyRun: id,
        concurrency: 4,
        onEvent: (e) => events.push(e),
        ...options,
      });
      await worker.run();
      return { id, record: await engine.status(id), events };
    },
  };
}

export const states = (record: { nodes: Record<string, { status: string }> }) =>
  Object.fromEntries(Object.entries(record.nodes).map(([id, n]) => [id, n.status]));
