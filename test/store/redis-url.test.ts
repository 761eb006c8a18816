/**
 * REDIS_URL as weft prints it: the password of every form is masked (userinfo with any
 * characters, `?password=`, every node of a cluster list, rediss://, unix://), and a URL that
 * is not one of the forms weft understands is refused before any connection is tried.
 */
import { describe, expect, it } from "vitest";
import { connectTo, maskUrl } from "../../src/store/index.js";
import { parseRedisUrl } from "../../src/store/redis-url.js";

const masked: [string, string][] = [
  ["redis://u:pa@ss-Secret@host:6379", "redis://u:***@host:6379"],
  ["redis://:pw-Secret@host", "redis://:***@host"],
  ["redis://host:6379", "redis://host:6379"],
  ["redis://host:6379/2", "redis://host:6379/2"],
  ["rediss://user:p%40ss-Secret@host:6380/1", "rediss://user:***@host:6380/1"],
  ["redis://u:pa/ss-Secret@host:1", "redis://u:***@host:1"],
  ["redis://u:pa,ss-Secret@host:1", "redis://u:***@host:1"],
  ["redis://u:pa?ss-Secret@host:1", "redis://u:***@host:1"],
  ["redis://u:pa#ss-Secret@host:1", "redis://u:***@host:1"],
  ["redis://host:6379/0?password=x-Secret", "redis://host:6379/0?password=***"],
  ["redis://host?db=1&password=x-Secret&family=4", "redis://host?db=1&password=***&family=4"],
  ["redis://host/0?password=a@b-Secret", "redis://host/0?password=***"],
  ["redis://host?PASSWORD=x-Secret", "redis://host?PASSWORD=***"],
  ["redis://host?sentinelPassword=x-Secret", "redis://host?sentinelPassword=***"],
  ["redis://:a-Secret@h1:1,redis://:b-Secret@h2:2", "redis://:***@h1:1,redis://:***@h2:2"],
  ["redis://u:a-Secret@h1:1,redis://u:b-Secret@h2:2", "redis://u:***@h1:1,redis://u:***@h2:2"],
  ["rediss://:a@b-Secret@h1:1,rediss://:c@d-Secret@h2:2", "rediss://:***@h1:1,rediss://:***@h2:2"],
  [":a-Secret@h1:1,h2:2", ":***@h1:1,h2:2"],
  ["u:a-Secret@h1:1,u:b-Secret@h2:2", "u:***@h1:1,u:***@h2:2"],
  ["h1:1,h2:2", "h1:1,h2:2"],
  ["redis://h1:1,redis://h2:2", "redis://h1:1,redis://h2:2"],
  ["redis://h1:1?password=a-Secret,redis://h2:2", "redis://h1:1?password=***,redis://h2:2"],
  ["unix:///tmp/r.sock", "unix:///tmp/r.sock"],
  ["unix:///tmp/r.sock?password=x-Secret", "unix:///tmp/r.sock?password=***"],
  ["unix:///tmp/r.sock?db=2&password=x@y-Secret", "unix:///tmp/r.sock?db=2&password=***"],
  ["redis://u:S3cr3t@host:notaport", "redis://u:***@host:notaport"],
  ["redis://:pw-Secret@[::1]:6379/3", "redis://:***@[::1]:6379/3"],
];

describe("maskUrl", () => {
  for (const [url, expected] of masked) {
    it(`prints ${url} as ${expected}`, () => {
      expect(maskUrl(url)).toBe(expected);
      expect(maskUrl(url)).not.toMatch(/Secret|S3cr3t/);
    });
  }
});

const malformed = ["redis://:@@", "http://x", "redis://host:notaport", "::::", "redis://host/abc"];

describe("a malformed Redis URL", () => {
  for (const url of malformed) {
    it(`${url}: refused as malformed, naming the forms weft takes`, async () => {
      const error = await connectTo(url).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toBe("RedisUrlError");
      expect(error?.message).toMatch(/malformed/);
      expect(error?.message).toContain("redis://[user:password@]host[:port][/db]");
      expect(error?.message).toContain("unix:///path");
      expect(error?.message).not.toContain("\n");
    });
  }

  it("never shows the password of a malformed URL", async () => {
    const error = await connectTo("redis://u:S3cr3t-pa@ss@host:notaport").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe("RedisUrlError");
    expect(error?.message).toContain("redis://u:***@host:notaport");
    expect(error?.message).not.toMatch(/S3cr3t|pa@ss/);
  });
});

describe("parseRedisUrl", () => {
  it("reads the user, the decoded password, the database and TLS of every form", () => {
    expect(parseRedisUrl("redis://u:pa@ss@host:6379/2")).toEqual({
      kind: "tcp",
      node: { host: "host", port: 6379 },
      tls: false,
      db: 2,
      username: "u",
      password: "pa@ss",
    });
    expect(parseRedisUrl("rediss://:p%40ss@[::1]")).toEqual({
      kind: "tcp",
      node: { host: "::1", port: 6379 },
      tls: true,
      password: "p@ss",
    });
    expect(parseRedisUrl("unix:///tmp/a%20b/r.sock?password=p%40ss&db=1")).toEqual({
      kind: "unix",
      path: "/tmp/a b/r.sock",
      db: 1,
      password: "p@ss",
    });
    expect(parseRedisUrl("redis://ada:pw@h1:1,redis://ada:pw@h2:2")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "h1", port: 1 },
        { host: "h2", port: 2 },
      ],
      tls: false,
      username: "ada",
      password: "pw",
    });
    expect(parseRedisUrl("h1:1, h2:2")).toMatchObject({ kind: "cluster", nodes: [{}, {}] });
    expect(parseRedisUrl("redis://u:a,b@host")).toMatchObject({ kind: "tcp", password: "a,b" });
  });

  it("refuses a unix node in a cluster list and an empty URL", () => {
    expect(() => parseRedisUrl("h1:1,unix:///tmp/s")).toThrow(/malformed/);
    expect(() => parseRedisUrl(" ")).toThrow(/malformed \(it is empty\)/);
  });
});
