/**
 * A private redis-server that a test can kill and start again on the same socket with its data:
 * AOF on, fsync on every write (so what Redis acknowledged survives a SIGKILL), same directory.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import { spawnRedisServer } from "./redis.js";

export interface RestartableRedis {
  dir: string;
  socket: string;
  url: string;
  /** A client that waits for Redis through outages (commands queue until it is back). */
  client(options?: RedisOptions): Redis;
  /** SIGKILL: no shutdown, no final save. */
  kill(): Promise<void>;
  /** Starts the server again on the same socket from its AOF (nothing when it runs). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Client options for a process that outlives Redis restarts: reconnect for ever, queue meanwhile. */
export const reconnectForever: RedisOptions = {
  maxRetriesPerRequest: null,
  enableOfflineQueue: true,
  retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
};

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = mkdtempSync(join(tmpdir(), "weft-redis-restart-"));
  const socket = join(dir, "r.sock");
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const clients: Redis[] = [];

  const start = async () => {
    if (child && child.exitCode === null) return;
    const started = await spawnRedisServer(dir, socket, true);
    child = started.child;
    exited = started.exited;
  };

  const kill = async () => {
    child?.kill("SIGKILL");
    await exited;
    child = undefined;
  };

  await start();
  return {
    dir,
    socket,
    url: `unix://${socket}`,
    client(options = reconnectForever) {
      const c = new Redis({ path: socket, ...options });
      c.on("error", () => {
        // Expected while the server is down; commands report what matters.
      });
      clients.push(c);
      return c;
    },
    kill,
    start,
    async stop() {
      for (const c of clients) c.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
