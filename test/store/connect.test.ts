import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTo, maskUrl, RedisUnreachableError } from "../../src/store/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

describe("connecting", () => {
  it("connects over a unix:// URL", async () => {
    const conn = await connectTo(server.url);
    try {
      expect(await conn.redis.ping()).toBe("PONG");
      expect(conn.url).toBe(server.url);
    } finally {
      await conn.close();
    }
  });

  it("fails fast and clearly when Redis is unreachable, with the password masked", async () => {
    const attempt = connectTo("redis://weft:s3cret@127.0.0.1:1/0");
    await expect(attempt).rejects.toThrow(RedisUnreachableError);
    await expect(attempt).rejects.toThrow(
      /^Redis unreachable at redis:\/\/weft:\*\*\*@127\.0\.0\.1:1\/0: /,
    );
  });

  it("masks passwords in every URL form", () => {
    expect(maskUrl("rediss://user:p%40ss@host:6380")).toBe("rediss://user:***@host:6380");
    expect(maskUrl("redis://:pw@host")).toBe("redis://:***@host");
    expect(maskUrl("redis://host:6379")).toBe("redis://host:6379");
    expect(maskUrl("redis://u:pa@ss-Secret@host")).toBe("redis://u:***@host");
    expect(maskUrl("redis://u:a@h1:1,redis://u:b@h2:2")).toBe(
      "redis://u:***@h1:1,redis://u:***@h2:2",
    );
  });
});
