/** Opening the store for one command: connect (embedded or REDIS_URL), run, always close. */
import { Engine, ParamsError } from "../engine/index.js";
import {
  type Actor,
  ConflictError,
  type Connection,
  type ConnectMode,
  connectStore,
  currentActor,
  DEFAULT_PREFIX,
  EmbeddedRedisError,
  NotFoundError,
  RedisAuthError,
  RedisMissingError,
  RedisUnreachableError,
  RedisUrlError,
  RedisVersionError,
  RunEvents,
  StoreError,
  type StoreKeys,
  storeKeys,
  unreachableFrom,
  WorkflowRegistry,
} from "../store/index.js";
import { CliError, type CliIo, EXIT } from "./io.js";

export interface StoreSession {
  connection: Connection;
  engine: Engine;
  keys: StoreKeys;
  registry: WorkflowRegistry;
  /** Run event streams and node logs. */
  events: RunEvents;
  actor: Actor;
}

/**
 * `mode: "resilient"` for commands that live on (worker, --wait, --follow, the TUI): they wait
 * for Redis to come back instead of failing.
 */
export async function withStore<T>(
  io: CliIo,
  fn: (s: StoreSession) => Promise<T>,
  mode: ConnectMode = "fail-fast",
): Promise<T> {
  let connection: Connection;
  try {
    connection = await connectStore(io.env, mode);
  } catch (cause) {
    throw asCliError(cause);
  }
  const keys = storeKeys(io.env.WEFT_PREFIX || DEFAULT_PREFIX);
  const actor = currentActor(io.env);
  const registry = new WorkflowRegistry(connection.redis, keys, actor);
  const engine = new Engine({ redis: connection.redis, keys, actor, registry });
  const events = new RunEvents(connection.redis, keys);
  try {
    return await fn({ connection, keys, actor, engine, registry, events });
  } catch (cause) {
    throw asCliError(unreachableFrom(cause, connection.url, connection.user) ?? cause);
  } finally {
    await connection.close();
  }
}

/** For commands that live on (worker, --wait, --follow, the TUI): they ride out a Redis restart. */
export function withLiveStore<T>(io: CliIo, fn: (s: StoreSession) => Promise<T>): Promise<T> {
  return withStore(io, fn, "resilient");
}

/**
 * Store errors become one clear line. Connection problems (no server, a refused password, a
 * malformed REDIS_URL) exit 2 like an unreadable file.
 */
export function asCliError(cause: unknown): unknown {
  if (
    cause instanceof RedisMissingError ||
    cause instanceof RedisUnreachableError ||
    cause instanceof RedisAuthError ||
    cause instanceof RedisUrlError ||
    cause instanceof RedisVersionError ||
    cause instanceof EmbeddedRedisError
  ) {
    return new CliError(cause.message, EXIT.unreadable);
  }
  if (cause instanceof ParamsError)
    return new CliError(`bad parameters for ${cause.message}`, EXIT.findings);
  if (
    cause instanceof ConflictError ||
    cause instanceof NotFoundError ||
    cause instanceof StoreError
  )
    return new CliError(cause.message, EXIT.findings);
  return cause;
}
