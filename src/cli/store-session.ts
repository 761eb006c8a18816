/** Opening the store for one command: connect (embedded or REDIS_URL), run, always close. */
import { Engine, ParamsError } from "../engine/index.js";
import {
  type Actor,
  ConflictError,
  type Connection,
  connectStore,
  currentActor,
  DEFAULT_PREFIX,
  EmbeddedRedisError,
  NotFoundError,
  RedisMissingError,
  RedisUnreachableError,
  RedisVersionError,
  RunEvents,
  StoreError,
  type StoreKeys,
  storeKeys,
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

export async function withStore<T>(io: CliIo, fn: (s: StoreSession) => Promise<T>): Promise<T> {
  let connection: Connection;
  try {
    connection = await connectStore(io.env);
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
    throw asCliError(cause);
  } finally {
    await connection.close();
  }
}

/** Store errors become one clear line; connection problems exit 2 like an unreadable file. */
export function asCliError(cause: unknown): unknown {
  if (
    cause instanceof RedisMissingError ||
    cause instanceof RedisUnreachableError ||
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
