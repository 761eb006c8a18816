import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis.js";
import { engineOn } from "./support.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe("node priority", () => {
  it("runs a run's ready nodes higher priority first, then in the order they became ready", async () => {
    const e = engineOn(server);
    const leaf = (id: string, priority?: number) => ({
      id,
      kind: "task",
      handler: "sleep",
      with: { duration: "20ms" },
      ...(priority === undefined ? {} : { priority }),
    });
    await e.save({
      name: "ranked",
      nodes: [
        { id: "start", kind: "task", handler: "noop" },
        leaf("a"),
        leaf("b"),
        leaf("urgent", 5),
        leaf("c"),
        leaf("later", -1),
        leaf("soon", 2),
      ],
      edges: ["a", "b", "urgent", "c", "later", "soon"].map((to) => ({ from: "start", to })),
    });
    // One slot: the order nodes start in is the order they are taken.
    const { record } = await e.runToEnd("ranked", {}, { concurrency: 1 });
    expect(record.fields.status).toBe("succeeded");
    const order = ["a", "b", "urgent", "c", "later", "soon"].sort(
      (x, y) => record.nodes[x]!.start! - record.nodes[y]!.start!,
    );
    expect(order).toEqual(["urgent", "soon", "a", "b", "c", "later"]);
  });
});
