/**
 * A redis-server that tests can kill and start again on the same socket and data directory
 * (AOF on, so what was acknowledged survives): the outage tests of connections, the CLI and
 * the TUI.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ping } from "../../src/store/embedded.js";

export interface RestartableRedis {
  dir: string;
  socket: string;
  url: string;
  /** SIGKILL: the server is gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again (nothing when it runs). */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = mkdtempSync(join(tmpdir(), "weft-restart-"));
  const socket = join(dir, "r.sock");
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    if (child) return;
    const server = spawn(
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
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        dir,
      ],
      { stdio: "ignore" },
    );
    child = server;
    exited = new Promise((resolve) => server.once("exit", () => resolve()));
    for (let i = 0; !(await ping(socket, 200)); i++) {
      if (i > 250 || server.exitCode !== null) throw new Error("test redis-server did not start");
      await sleep(20);
    }
  };
  const kill = async () => {
    child?.kill("SIGKILL");
    await exited;
    child = undefined;
    rmSync(socket, { force: true });
  };
  await start();
  return {
    dir,
    socket,
    url: `unix://${socket}`,
    kill,
    start,
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
