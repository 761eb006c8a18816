/**
 * Connecting to Redis: REDIS_URL (redis://, rediss:// with TLS, unix:///path, or a comma list of
 * cluster nodes; read and masked in redis-url.ts) when set, else weft's embedded server. A
 * malformed URL is refused before any socket is opened; a refused password says so, naming the
 * user. Two modes:
 * - `fail-fast` (one-shot commands): a lost connection fails the command within about a second,
 *   so `weft ls` during an outage says so at once instead of hanging.
 * - `resilient` (workers, `run --wait`, the TUI, `--follow`): reconnects for ever with backoff
 *   capped at 2 s; commands and blocking reads wait in the offline queue and are sent again
 *   when Redis is back. `duplicate()`d clients behave the same.
 * Either way the first connect fails fast with the URL (password masked): at start an absent
 * Redis is far more often a wrong URL or a stopped service than a blip, and saying so beats
 * waiting silently. A dead embedded server (crashed, not stopped) is started again while
 * reconnecting.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import {
  type EmbeddedServer,
  ensureEmbeddedRedis,
  restartCrashedEmbeddedRedis,
} from "./embedded.js";
import { authFailureFrom, RedisUnreachableError, RedisVersionError } from "./errors.js";
import { embeddedPaths, weftHome } from "./home.js";
import { maskUrl, parseRedisUrl, type RedisTarget, userOf } from "./redis-url.js";

export type RedisClient = Redis | Cluster;
export type ConnectMode = "fail-fast" | "resilient";
export type ConnectionState = "ready" | "reconnecting";

export interface Connection {
  redis: RedisClient;
  /** Where we are connected, safe to print (password masked). */
  url: string;
  /** The Redis user we authenticate as (`default` when REDIS_URL names none). */
  user: string;
  mode: ConnectMode;
  embedded?: EmbeddedServer;
  state(): ConnectionState;
  /** Called on each change between ready and reconnecting; returns the unsubscribe. */
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  mode?: ConnectMode;
  /** Called (at most one call at a time) while reconnecting: e.g. start a crashed server. */
  onReconnecting?: () => Promise<unknown>;
}

export { maskUrl } from "./redis-url.js";

const CONNECT_TIMEOUT_MS = 5_000;
export const RECONNECT_CAP_MS = 2_000;
const QUIT_WAIT_MS = 1_000;

const failFast: RedisOptions = {
  connectTimeout: CONNECT_TIMEOUT_MS,
  maxRetriesPerRequest: 2,
  lazyConnect: true,
  retryStrategy: (times: number) => (times > 3 ? null : times * 100),
};

const resilient: RedisOptions = {
  connectTimeout: CONNECT_TIMEOUT_MS,
  maxRetriesPerRequest: null,
  enableOfflineQueue: true,
  lazyConnect: true,
  retryStrategy: (times: number) => Math.min(times * 100, RECONNECT_CAP_MS),
};

function clientFor(url: string, target: RedisTarget, options: RedisOptions): RedisClient {
  if (target.kind === "unix") {
    return new Redis({
      ...options,
      path: target.path,
      username: target.username,
      password: target.password,
      ...(target.db === undefined ? {} : { db: target.db }),
    });
  }
  if (target.kind === "cluster") {
    const clusterOptions: ClusterOptions = {
      lazyConnect: true,
      ...(options === resilient
        ? { clusterRetryStrategy: options.retryStrategy, enableOfflineQueue: true }
        : {}),
      redisOptions: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        ...(options === resilient ? { maxRetriesPerRequest: null } : {}),
        username: target.username,
        password: target.password,
        ...(target.tls ? { tls: {} } : {}),
      },
    };
    return new Cluster(target.nodes, clusterOptions);
  }
  // ioredis reads the URL with the same WHATWG parser, and keeps its other query options.
  return new Redis(url.trim(), options);
}

/** Errors are reported through the failing command; without a listener ioredis prints them. */
function quiet<T extends RedisClient>(client: T): T {
  client.on("error", () => undefined);
  if (client instanceof Redis) {
    const duplicate = client.duplicate.bind(client);
    client.duplicate = (override?: Partial<RedisOptions>) => quiet(duplicate(override));
  }
  return client;
}

export async function connectTo(url: string, options: ConnectOptions = {}): Promise<Connection> {
  const masked = maskUrl(url);
  const target = parseRedisUrl(url);
  const mode = options.mode ?? "fail-fast";
  const redis = quiet(clientFor(url, target, mode === "resilient" ? resilient : failFast));
  // connect() rejects with "Connection is closed."; the socket's own error says why.
  let socketError: Error | undefined;
  const remember = (error: Error) => {
    socketError = error;
  };
  redis.on("error", remember);
  try {
    await redis.connect();
    const info = await redis.info("server");
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? "0";
    if (Number(version.split(".")[0]) < 7) throw new RedisVersionError(masked, version);
  } catch (cause) {
    redis.disconnect();
    if (cause instanceof RedisVersionError) throw cause;
    const reason = reasonOf(socketError ?? cause);
    throw (
      authFailureFrom(reason, masked, userOf(target)) ?? new RedisUnreachableError(masked, reason)
    );
  } finally {
    redis.off("error", remember);
  }
  return { ...watchState(redis, masked, mode, options.onReconnecting), user: userOf(target) };
}

function watchState(
  redis: RedisClient,
  url: string,
  mode: ConnectMode,
  onReconnecting: ConnectOptions["onReconnecting"],
): Omit<Connection, "user"> {
  let state: ConnectionState = "ready";
  let closing = false;
  let repairing = false;
  const listeners = new Set<(state: ConnectionState) => void>();
  const become = (next: ConnectionState) => {
    if (next === state || closing) return;
    state = next;
    for (const listener of listeners) listener(next);
  };
  redis.on("ready", () => become("ready"));
  redis.on("close", () => become("reconnecting"));
  redis.on("reconnecting", () => {
    become("reconnecting");
    if (!onReconnecting || repairing || closing) return;
    repairing = true;
    void onReconnecting()
      .catch(() => undefined)
      .finally(() => {
        repairing = false;
      });
  });
  return {
    redis,
    url,
    mode,
    state: () => state,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      closing = true;
      listeners.clear();
      if (state !== "ready") return redis.disconnect();
      // A resilient QUIT would wait for a Redis that went away just now; closing never waits long.
      const gaveUp = setTimeout(() => redis.disconnect(), QUIT_WAIT_MS);
      await redis
        .quit()
        .catch(() => redis.disconnect())
        .finally(() => clearTimeout(gaveUp));
    },
  };
}

/** REDIS_URL when set, else the embedded server under WEFT_HOME (started when needed). */
export async function connectStore(
  env: Record<string, string | undefined>,
  mode: ConnectMode = "fail-fast",
): Promise<Connection> {
  if (env.REDIS_URL && env.REDIS_URL !== "") return connectTo(env.REDIS_URL, { mode });
  const home = weftHome(env);
  const embedded = await ensureEmbeddedRedis(home);
  const connection = await connectTo(`unix://${embedded.paths.socket}`, {
    mode,
    onReconnecting: () => restartCrashedEmbeddedRedis(home),
  });
  return { ...connection, embedded };
}

/** Where `connectStore` goes for this environment, safe to print (password masked). */
export function storeUrl(env: Record<string, string | undefined>): string {
  if (env.REDIS_URL && env.REDIS_URL !== "") return maskUrl(env.REDIS_URL);
  return `unix://${embeddedPaths(weftHome(env)).socket}`;
}

/** The Redis user `connectStore` authenticates as for this environment. */
export function storeUser(env: Record<string, string | undefined>): string {
  if (!env.REDIS_URL) return "default";
  try {
    return userOf(parseRedisUrl(env.REDIS_URL));
  } catch {
    return "default";
  }
}

/** The short reason of a connection failure: `connect ECONNREFUSED 127.0.0.1:1`. */
export function reasonOf(cause: unknown): string {
  const error = cause as Error & { code?: string; lastNodeError?: Error };
  return (error.lastNodeError?.message ?? error.message ?? String(cause)).split("\n")[0]!;
}
