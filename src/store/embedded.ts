/**
 * weft's own Redis when REDIS_URL is unset: a private redis-server on a unix socket (no TCP
 * port) in a 0700 directory, AOF on. The next weft process reuses it; a stale pidfile or socket
 * is cleaned; a start lock makes two weft processes starting at once share one server.
 * Paths in the config file are quoted (WEFT_HOME may hold spaces or non-ASCII), and a socket or
 * pidfile owned by another user is refused rather than trusted or removed.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createConnection } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { EmbeddedRedisError, RedisMissingError } from "./errors.js";
import { type EmbeddedPaths, embeddedPaths } from "./home.js";

export interface EmbeddedServer {
  paths: EmbeddedPaths;
  pid: number | undefined;
  /** True when this call started the server, false when it found one running. */
  started: boolean;
}

const START_TIMEOUT_MS = 10_000;
const LOCK_TIMEOUT_MS = 15_000;

/** PING over the socket with a raw RESP exchange: cheap, and needs no client library. */
export function ping(socket: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(socket)) return resolve(false);
    const conn = createConnection(socket);
    const done = (ok: boolean) => {
      conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.on("connect", () => conn.write("PING\r\n"));
    conn.on("data", (data) => {
      clearTimeout(timer);
      done(data.toString().startsWith("+PONG"));
    });
    conn.on("error", () => {
      clearTimeout(timer);
      done(false);
    });
  });
}

const readPid = (pidfile: string): number | undefined => {
  try {
    const pid = Number(readFileSync(pidfile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function withStartLock<T>(paths: EmbeddedPaths, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(paths.lock, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw cause;
      const holder = readPid(paths.lock);
      if (holder !== undefined && !isAlive(holder)) {
        unlinkQuietly(paths.lock);
        continue;
      }
      if (Date.now() > deadline) {
        throw new EmbeddedRedisError(
          `another weft process (pid ${holder ?? "?"}) has been starting Redis for ${LOCK_TIMEOUT_MS / 1000}s; if none is running, remove ${paths.lock}`,
        );
      }
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    unlinkQuietly(paths.lock);
  }
}

function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** A redis.conf string argument: double-quoted, with the escapes redis's sdssplitargs reads. */
export function quoteConfigValue(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/** Another user's socket or pidfile in our home could be a trap: refuse to use or remove it. */
export function refuseForeignFiles(paths: EmbeddedPaths): void {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  for (const path of [paths.dir, paths.socket, paths.pidfile]) {
    let owner: number;
    try {
      owner = statSync(path).uid;
    } catch {
      continue;
    }
    if (owner !== uid)
      throw new EmbeddedRedisError(
        `${path} is owned by uid ${owner}, not by you (uid ${uid}); weft will not use or remove it. Check who created it, or set WEFT_HOME to a directory of your own`,
      );
  }
}

function redisConfig(paths: EmbeddedPaths): string {
  return [
    "# Written by weft: its private Redis. Edit with care; weft rewrites it on each start.",
    "port 0",
    `unixsocket ${quoteConfigValue(paths.socket)}`,
    "unixsocketperm 700",
    `dir ${quoteConfigValue(paths.dir)}`,
    "appendonly yes",
    "appendfsync everysec",
    'save ""',
    "daemonize yes",
    `pidfile ${quoteConfigValue(paths.pidfile)}`,
    `logfile ${quoteConfigValue(paths.log)}`,
    "",
  ].join("\n");
}

/** Returns a running embedded server, starting one when none answers. */
export async function ensureEmbeddedRedis(home: string): Promise<EmbeddedServer> {
  const paths = embeddedPaths(home);
  refuseForeignFiles(paths);
  if (await ping(paths.socket)) return { paths, pid: readPid(paths.pidfile), started: false };
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  return withStartLock(paths, async () => {
    if (await ping(paths.socket)) return { paths, pid: readPid(paths.pidfile), started: false };
    await clearStale(paths);
    const version = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
    if (version.error && (version.error as NodeJS.ErrnoException).code === "ENOENT")
      throw new RedisMissingError();
    writeFileSync(paths.config, redisConfig(paths), { mode: 0o600 });
    const started = spawnSync("redis-server", [paths.config], {
      encoding: "utf8",
      timeout: START_TIMEOUT_MS,
    });
    if (started.status !== 0) {
      throw new EmbeddedRedisError(
        `redis-server did not start (exit ${started.status ?? started.signal}): ${(started.stderr || started.stdout || logTail(paths)).trim()}`,
      );
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await ping(paths.socket, 250))) {
      if (Date.now() > deadline)
        throw new EmbeddedRedisError(
          `redis-server started but does not answer on ${paths.socket}; its log says:\n${logTail(paths)}`,
        );
      await sleep(25);
    }
    return { paths, pid: readPid(paths.pidfile), started: true };
  });
}

/** A pidfile whose process is gone, or a socket nobody listens on, is left over from a crash. */
async function clearStale(paths: EmbeddedPaths) {
  const pid = readPid(paths.pidfile);
  if (pid !== undefined && isAlive(pid) && isRedis(pid)) {
    // Alive but not answering yet: it may still be loading its AOF.
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await ping(paths.socket, 250)) return;
      if (!isAlive(pid)) break;
      await sleep(50);
    }
    if (isAlive(pid))
      throw new EmbeddedRedisError(
        `redis-server (pid ${pid}) runs in ${paths.dir} but does not answer; stop it with \`kill ${pid}\` and try again`,
      );
  }
  unlinkQuietly(paths.pidfile);
  unlinkQuietly(paths.socket);
}

function isRedis(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("redis-server");
  } catch {
    return true;
  }
}

function logTail(paths: EmbeddedPaths): string {
  try {
    return readFileSync(paths.log, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface EmbeddedStatus {
  running: boolean;
  pid: number | undefined;
  paths: EmbeddedPaths;
}

export async function embeddedStatus(home: string): Promise<EmbeddedStatus> {
  const paths = embeddedPaths(home);
  return { running: await ping(paths.socket), pid: readPid(paths.pidfile), paths };
}

/** Stops the server cleanly (SHUTDOWN flushes the AOF); false when none was running. */
export async function stopEmbeddedRedis(home: string): Promise<boolean> {
  const paths = embeddedPaths(home);
  const pid = readPid(paths.pidfile);
  if (!(await ping(paths.socket))) {
    if (pid === undefined || !isAlive(pid) || !isRedis(pid)) {
      unlinkQuietly(paths.pidfile);
      unlinkQuietly(paths.socket);
      return false;
    }
  }
  await new Promise<void>((resolve) => {
    const conn = createConnection(paths.socket);
    conn.on("connect", () => conn.end("SHUTDOWN\r\n"));
    conn.on("close", () => resolve());
    conn.on("error", () => resolve());
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (pid !== undefined && isAlive(pid) && Date.now() < deadline) await sleep(25);
  return true;
}

/**
 * Starts the embedded server again when it crashed (its pidfile names a dead process), for a
 * connection that is reconnecting to it. A server stopped on purpose (`weft redis stop`, which
 * removes the pidfile) stays stopped: that stop is an operator's decision.
 */
export async function restartCrashedEmbeddedRedis(home: string): Promise<boolean> {
  const paths = embeddedPaths(home);
  const pid = readPid(paths.pidfile);
  if (pid === undefined || isAlive(pid)) return false;
  await ensureEmbeddedRedis(home);
  return true;
}
