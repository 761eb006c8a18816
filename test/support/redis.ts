/** A private redis-server per test file, on a unix socket in a temp directory; no TCP port. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { ping } from "../../src/store/embedded.js";

export interface TestRedis {
  dir: string;
  socket: string;
  url: string;
  /** A connected client; tests may open more with `client()`. */
  redis: Redis;
  client(): Redis;
  stop(): Promise<void>;
}

/**
 * Starts redis-server on a unix socket in `dir` (no TCP port) and waits until it answers.
 * `aof`: append-only with fsync on every write, so what Redis acknowledged survives a SIGKILL.
 */
export async function spawnRedisServer(
  dir: string,
  socket: string,
  aof: boolean,
): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const persistence = aof ? ["yes", "--appendfsync", "always"] : ["no"];
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      "0",
      "--unixsocket",
      socket,
      "--unixsocketperm",
      "700",
      "--save",
      "",
      "--appendonly",
      ...persistence,
      "--dir",
      dir,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; !(await ping(socket, 200)); i++) {
    if (i > 200 || child.exitCode !== null)
      throw new Error(
        "test redis-server did not start (is redis-server installed? `npm test` installs it)",
      );
    await sleep(20);
  }
  return { child, exited };
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), "weft-redis-"));
  const socket = join(dir, "r.sock");
  const { child, exited } = await spawnRedisServer(dir, socket, false);
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis({ path: socket });
    clients.push(c);
    return c;
  };
  return {
    dir,
    socket,
    url: `unix://${socket}`,
    redis: client(),
    client,
    async stop() {
      for (const c of clients) c.disconnect();
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
