import { describe, expect, it } from "vitest";
import { storeKeys } from "../../src/store/index.js";
import { cliOnRedis } from "../support/cli.js";

const { ctx, weft, write } = cliOnRedis("cnow");

describe("weft cancel --now", () => {
  it("cancels the run and records that its tasks get no kill grace", async () => {
    write(
      "nap.yaml",
      "name: nap\nnodes:\n  - { id: nap, kind: task, handler: sleep, with: { duration: 60s } }\n",
    );
    expect((await weft("import", "nap.yaml")).code).toBe(0);
    const started = await weft("run", "nap");
    const id = /[0-9A-Z]{26}/.exec(started.stdout + started.stderr)![0];
    const cancelled = await weft("cancel", id, "--now");
    expect(cancelled).toMatchObject({ code: 0, stdout: `cancelled ${id}\n` });
    const meta = await ctx.server.redis.hgetall(storeKeys(ctx.env.WEFT_PREFIX!).run(id).meta);
    expect(meta).toMatchObject({ status: "cancelled", stop: "now" });
  });
});
