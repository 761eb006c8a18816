import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DesignerSession } from "../../src/app/designer/session.js";
import { RunSession } from "../../src/app/runs/run-session.js";
import { Engine } from "../../src/engine/index.js";
import { WorkflowSchema } from "../../src/spec/index.js";
import { DraftStore, LayoutCache, storeKeys, WorkflowRegistry } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

/** The TUI's sessions as a given ACL role sees them (the role check is weft's, before Redis's). */
function sessionsAs(aclUser: string) {
  const keys = storeKeys(`roles-${aclUser}`);
  const actor = { user: "ada", host: "box", aclUser };
  const registry = new WorkflowRegistry(server.redis, keys, actor);
  const engine = new Engine({ redis: server.redis, keys, actor, registry });
  const designer = new DesignerSession({
    registry,
    actor,
    drafts: new DraftStore(server.redis, keys, actor.user),
    layouts: new LayoutCache(server.redis, keys),
  });
  return { designer, runs: new RunSession(engine, server.redis, keys, aclUser) };
}

describe("the TUI under a role (problem 7)", () => {
  it("shows cancel and retry as unavailable to a designer, with the reason", () => {
    const { runs } = sessionsAs("weft-designer");
    expect(runs.actions("running")).toEqual([
      { name: "cancel", enabled: false, reason: "not allowed: weft-designer may not cancel runs" },
      { name: "retry", enabled: false, reason: "not allowed: weft-designer may not retry runs" },
    ]);
    expect(sessionsAs("weft-operator").runs.actions("running")[0]).toEqual({
      name: "cancel",
      enabled: true,
    });
  });

  it("refuses a save to an operator and a run start to a designer, writing nothing", async () => {
    const operator = sessionsAs("weft-operator");
    const wf = WorkflowSchema.parse({
      name: "w",
      nodes: [{ id: "a", kind: "task", handler: "noop" }],
    });
    await expect(operator.designer.save([wf], new Map([["w", 0]]), "")).rejects.toThrow(
      "not allowed: weft-operator may not save workflows",
    );
    expect(await server.redis.exists(storeKeys("roles-weft-operator").workflow("w").meta)).toBe(0);
    await expect(sessionsAs("weft-designer").runs.start("w", {})).rejects.toThrow(
      "not allowed: weft-designer may not start runs",
    );
    await expect(sessionsAs("weft-viewer").runs.drive("any")).rejects.toThrow(
      "not allowed: weft-viewer may not work on runs",
    );
    expect(operator.designer.commandRefusal("save")).toBe(
      "not allowed: weft-operator may not save workflows",
    );
  });
});
