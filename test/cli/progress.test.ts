import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatProgress, ProgressCount } from "../../src/cli/commands/watch.js";
import type { RunEvent } from "../../src/store/index.js";
import { runWeft } from "../support/cli.js";
import { startRedis, type TestRedis } from "../support/redis.js";

describe("formatProgress", () => {
  it("fills the bar in proportion and says how many are done, running and failed", () => {
    expect(formatProgress({ total: 50, done: 25, running: 3, failed: 1 }, 80)).toBe(
      `[${"#".repeat(20)}${".".repeat(20)}]  25/50  3 running  1 failed`,
    );
    expect(formatProgress({ total: 4, done: 0, running: 0, failed: 0 }, 80)).toBe(
      `[${".".repeat(40)}]  0/4`,
    );
    expect(formatProgress({ total: 4, done: 4, running: 0, failed: 0 }, 80)).toBe(
      `[${"#".repeat(40)}]  4/4`,
    );
  });

  it("stays a column short of a narrow terminal so it redraws in place", () => {
    const line = formatProgress({ total: 100, done: 37, running: 12, failed: 0 }, 30);
    expect(line.length).toBeLessThanOrEqual(29);
    expect(line.startsWith("[")).toBe(true);
    expect(formatProgress({ total: 0, done: 0, running: 0, failed: 0 }, 80)).toBe(
      `[${".".repeat(40)}]  0/0`,
    );
  });

  it("counts each node by its latest event, keeping a retried run's untouched nodes", () => {
    const event = (node: string, status: string) => ({ t: "0", node, status }) as RunEvent;
    const count = new ProgressCount(3, { a: { status: "succeeded" } });
    count.see(event("b", "running"));
    count.see(event("", "run:running"));
    expect(count.progress).toEqual({ total: 3, done: 1, running: 1, failed: 0 });
    count.see(event("b", "failed"));
    count.see(event("c", "skipped"));
    expect(count.progress).toEqual({ total: 3, done: 3, running: 0, failed: 1 });
  });
});

describe("weft run --wait output", () => {
  let server: TestRedis;
  let dir: string;
  let prefix = 0;
  beforeAll(async () => {
    server = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "weft-progress-"));
    writeFileSync(
      join(dir, "p.yaml"),
      [
        "name: p",
        "nodes:",
        "  - { id: a, kind: task, handler: noop }",
        "  - { id: b, kind: task, handler: noop }",
        "  - { id: c, kind: task, handler: noop }",
        "edges:",
        "  - { from: a, to: b }",
        "  - { from: a, to: c }",
        "",
      ].join("\n"),
    );
  });
  beforeEach(() => {
    prefix++;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const weft = (argv: string[], tty: boolean, columns = 60) =>
    runWeft(argv, {
      cwd: dir,
      env: { REDIS_URL: server.url, WEFT_PREFIX: `pg${prefix}` },
      ...(tty ? { tty: { columns } } : {}),
    });

  it("prints plain lines, without a bar or control characters, when stdout is not a terminal", async () => {
    expect((await weft(["import", "p.yaml"], false)).code).toBe(0);
    const r = await weft(["run", "p", "--wait"], false);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\r");
    expect(r.stdout).not.toContain("\x1b");
    expect(r.stdout).not.toContain("[#");
    expect(r.stdout).toMatch(/ c {2}succeeded\n/);
    expect(r.stdout).toMatch(/ run succeeded\n$/);
    for (const line of r.stdout.trimEnd().split("\n")) expect(line).toMatch(/^\d\d:\d\d:\d\d {2}/);
  });

  it("redraws a bar under the lines on a terminal and leaves the finished bar", async () => {
    expect((await weft(["import", "p.yaml"], true)).code).toBe(0);
    const r = await weft(["run", "p", "--wait"], true);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\r\x1b[2K");
    expect(r.stdout).toMatch(/ c {2}succeeded\n/);
    expect(r.stdout).toMatch(/ run succeeded\n\[#+\] {2}3\/3\n$/);
    // Every line the terminal keeps fits in 60 columns.
    for (const line of r.stdout.replaceAll("\r\x1b[2K", "\n").split("\n"))
      expect(line.length).toBeLessThan(60);
  });

  it("draws a full-width bar on a terminal that does not say its size", async () => {
    expect((await weft(["import", "p.yaml"], true, 0)).code).toBe(0);
    const r = await weft(["run", "p", "--wait"], true, 0);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ run succeeded\n\[#{40}\] {2}3\/3\n$/);
  });
});
