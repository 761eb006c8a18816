/**
 * The two connection modes against a real redis-server that is killed and started again:
 * resilient connections (and their duplicates) wait through the outage and report their state;
 * fail-fast ones fail and the failure reads as one line with the URL; a crashed embedded server
 * is started again by a resilient connection, a stopped one is not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../src/store/embedded.js";
import {
  type Connection,
  type ConnectionState,
  connectStore,
  connectTo,
  embeddedStatus,
  stopEmbeddedRedis,
  unreachableFrom,
} from "../../src/store/index.js";
import { type RestartableRedis, startRestartableRedis } from "../support/redis-restart.js";

let server: RestartableRedis;
const open: Connection[] = [];
beforeAll(async () => {
  server = await startRestartableRedis();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await server.start().catch(() => undefined);
});

async function connect(mode: "fail-fast" | "resilient") {
  const c = await connectTo(server.url, { mode });
  open.push(c);
  return c;
}

describe("a resilient connection", () => {
  it("holds commands and blocking reads through a restart, on duplicates too, and reports its state", async () => {
    const c = await connect("resilient");
    const states: ConnectionState[] = [];
    c.onState((s) => states.push(s));
    await c.redis.set("kept", "1");
    const blocking = c.redis.duplicate();
    const popped = blocking.blpop("jobs", 0);
    await sleep(100);
    await server.kill();
    await sleep(300);
    expect(c.state()).toBe("reconnecting");
    const during = c.redis.get("kept");
    await sleep(700);
    await server.start();
    expect(await during).toBe("1");
    await c.redis.rpush("jobs", "one");
    expect(await popped).toEqual(["jobs", "one"]);
    await sleep(50);
    expect(states).toEqual(["reconnecting", "ready"]);
    expect(c.state()).toBe("ready");
    blocking.disconnect();
  });
});

describe("a fail-fast connection", () => {
  it("fails a command while Redis is gone, and the failure reads as one line with the URL", async () => {
    const c = await connect("fail-fast");
    await server.kill();
    const failure = await c.redis.get("x").then(
      () => undefined,
      (e: unknown) => e,
    );
    const line = unreachableFrom(failure, c.url)?.message;
    expect(line).toBe(`Redis unreachable at ${server.url}: the connection was lost`);
  });

  it("says why the first connect failed, with the password masked", async () => {
    const attempt = connectTo("redis://weft:s3cret@127.0.0.1:1/0", { mode: "resilient" });
    await expect(attempt).rejects.toThrow(
      /^Redis unreachable at redis:\/\/weft:\*\*\*@127\.0\.0\.1:1\/0: connect ECONNREFUSED/,
    );
  });
});

describe("the embedded server under a resilient connection", () => {
  let home: string;
  afterEach(async () => {
    await stopEmbeddedRedis(home);
    rmSync(home, { recursive: true, force: true });
  });

  it("is started again after a crash, and the waiting command completes", async () => {
    home = mkdtempSync(join(tmpdir(), "wr-"));
    const c = await connectStore({ WEFT_HOME: home }, "resilient");
    open.push(c);
    await c.redis.set("kept", "yes");
    const pid = c.embedded?.pid ?? 0;
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(10);
    expect(await c.redis.get("kept")).toBe("yes");
    const status = await embeddedStatus(home);
    expect(status.running).toBe(true);
    expect(status.pid).not.toBe(pid);
  });

  it("stays stopped after `weft redis stop`", async () => {
    home = mkdtempSync(join(tmpdir(), "wr-"));
    const c = await connectStore({ WEFT_HOME: home }, "resilient");
    open.push(c);
    await stopEmbeddedRedis(home);
    await sleep(1_000);
    expect((await embeddedStatus(home)).running).toBe(false);
    expect(c.state()).toBe("reconnecting");
  });
});
