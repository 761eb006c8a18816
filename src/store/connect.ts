/**
 * Connecting to Redis: REDIS_URL (redis://, rediss:// with TLS, unix:///path, or a comma list of
 * cluster nodes) when set, else weft's embedded server. Fails fast with the URL (password
 * masked) when Redis is unreachable or older than 7.0.
 */
import { Cluster, Redis } from "ioredis";
import { type EmbeddedServer, ensureEmbeddedRedis } from "./embedded.js";
import { RedisUnreachableError, RedisVersionError } from "./errors.js";
import { weftHome } from "./home.js";

export type RedisClient = Redis | Cluster;

export interface Connection {
  redis: RedisClient;
  /** Where we are connected, safe to print (password masked). */
  url: string;
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

const CONNECT_TIMEOUT_MS = 5_000;
const failFast = {
  connectTimeout: CONNECT_TIMEOUT_MS,
  maxRetriesPerRequest: 2,
  lazyConnect: true,
  retryStrategy: (times: number) => (times > 3 ? null : times * 100),
};

function clientFor(url: string): RedisClient {
  if (url.startsWith("unix://")) {
    const parsed = new URL(url);
    return new Redis({
      ...failFast,
      path: decodeURIComponent(parsed.pathname),
      password: parsed.password || undefined,
    });
  }
  if (url.includes(",")) {
    const nodes = url
      .split(",")
      .map((u) => new URL(u.trim().includes("://") ? u.trim() : `redis://${u.trim()}`));
    const first = nodes[0]!;
    return new Cluster(
      nodes.map((n) => ({ host: n.hostname, port: Number(n.port || 6379) })),
      {
        lazyConnect: true,
        redisOptions: {
          connectTimeout: CONNECT_TIMEOUT_MS,
          username: first.username || undefined,
          password: first.password ? decodeURIComponent(first.password) : undefined,
          ...(first.protocol === "rediss:" ? { tls: {} } : {}),
        },
      },
    );
  }
  return new Redis(url, failFast);
}

export async function connectTo(url: string): Promise<Connection> {
  const masked = maskUrl(url);
  const redis = clientFor(url);
  redis.on("error", () => {
    // Reported through the failing command; without a listener ioredis prints to stderr.
  });
  try {
    await redis.connect();
    const info = await redis.info("server");
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? "0";
    if (Number(version.split(".")[0]) < 7) throw new RedisVersionError(masked, version);
  } catch (cause) {
    redis.disconnect();
    if (cause instanceof RedisVersionError) throw cause;
    throw new RedisUnreachableError(masked, (cause as Error).message);
  }
  return {
    redis,
    url: masked,
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}

/** REDIS_URL when set, else the embedded server under WEFT_HOME (started when needed). */
export async function connectStore(env: Record<string, string | undefined>): Promise<Connection> {
  if (env.REDIS_URL && env.REDIS_URL !== "") return connectTo(env.REDIS_URL);
  const embedded = await ensureEmbeddedRedis(weftHome(env));
  const connection = await connectTo(`unix://${embedded.paths.socket}`);
  return { ...connection, embedded };
}
