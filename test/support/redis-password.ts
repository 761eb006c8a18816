/**
 * A private redis-server that asks for a password: `requirepass` for the default user and an
 * ACL user `ada` with the same password, on a unix socket and a TCP port on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { spawnRedisServer } from "./redis.js";

export interface PasswordRedis {
  socket: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startPasswordRedis(password: string): Promise<PasswordRedis> {
  const dir = mkdtempSync(join(tmpdir(), "weft-redis-pw-"));
  const socket = join(dir, "r.sock");
  const { child, exited } = await spawnRedisServer(dir, socket, false);
  const port = await freePort();
  const admin = new Redis({ path: socket });
  await admin.config("SET", "bind", "127.0.0.1");
  await admin.config("SET", "port", String(port));
  await admin.acl("SETUSER", "ada", "on", `>${password}`, "~*", "&*", "+@all");
  await admin.config("SET", "requirepass", password);
  admin.disconnect();
  return {
    socket,
    port,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
