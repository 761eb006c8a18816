/** The embedded Redis in an awkward WEFT_HOME: spaces and non-ASCII, and files of another user. */
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  connectStore,
  embeddedPaths,
  ensureEmbeddedRedis,
  stopEmbeddedRedis,
} from "../../src/store/index.js";

let root: string;
let home: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "wp-"));
  home = join(root, "Application Support", "wéft");
});
afterEach(async () => {
  await stopEmbeddedRedis(home);
  rmSync(root, { recursive: true, force: true });
});

describe("the embedded Redis in a home with spaces and non-ASCII", () => {
  it("starts and answers", async () => {
    const server = await ensureEmbeddedRedis(home);
    expect(server.started).toBe(true);
    const conn = await connectStore({ WEFT_HOME: home, WEFT_USER: "ada" });
    try {
      expect(await conn.redis.ping()).toBe("PONG");
      const dir = (await conn.redis.config("GET", "dir")) as string[];
      expect(dir[1]).toBe(server.paths.dir);
    } finally {
      await conn.close();
    }
  });
});

describe.skipIf(process.getuid?.() !== 0)("files of another user in WEFT_HOME", () => {
  for (const file of ["socket", "pidfile"] as const) {
    it(`refuses a ${file} owned by another user`, async () => {
      const paths = embeddedPaths(home);
      mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
      writeFileSync(paths[file], file === "pidfile" ? "999999\n" : "");
      chownSync(paths[file], 65534, 65534);
      await expect(ensureEmbeddedRedis(home)).rejects.toThrow(
        new RegExp(`${paths[file].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is owned by uid 65534`),
      );
    });
  }
});
