/** Opening the store for one command: connect (embedded or REDIS_URL), run, always close. */
import { Engine, ParamsError } from "../engine/index.js";
import {
  type Action,
  type Actor,
  ConflictError,
  type Connection,
  type ConnectMode,
  connectStore,
  currentActor,
  DEFAULT_PREFIX,
  EmbeddedRedisError,
  isRole,
  NotFoundError,
  RedisAuthError,
  RedisMissingError,
  RedisUnreachableError,
  RedisUrlError,
  RedisVersionError,
  RunEvents,
  refusal,
  StoreError,
  type StoreKeys,
  storeKeys,
  unreachableFrom,
  WorkflowRegistry,
  whoAmI,
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
  /** Refuses, before anything is written, an action the connected role may not do (exit 3). */
  allow(action: Action): void;
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
  const aclUser = await whoAmI(connection.redis);
  const actor: Actor = { ...currentActor(io.env), ...(isRole(aclUser) ? { aclUser } : {}) };
  const allow = (action: Action) => {
    const refused = refusal(aclUser, action);
    if (refused) throw new CliError(refused, EXIT.notAllowed);
  };
  const registry = new WorkflowRegistry(connection.redis, keys, actor);
  const engine = new Engine({ redis: connection.redis, keys, actor, registry });
  const events = new RunEvents(connection.redis, keys);
  try {
    return await fn({ connection, keys, actor, engine, registry, events, allow });
  } catch (cause) {
    throw asCliError(
      unreachableFrom(cause, connection.url, connection.user) ??
        refusedFrom(cause, aclUser) ??
        cause,
    );
  } finally {
    await connection.close();
  }
}

/** For commands that live on (worker, --wait, --follow, the TUI): they ride out a Redis restart. */
export function withLiveStore<T>(io: CliIo, fn: (s: StoreSession) => Promise<T>): Promise<T> {
  return withStore(io, fn, "resilient");
}

/** Redis refusing a command by its ACL (NOPERM): the role lacks it, say who and exit 3. */
function refusedFrom(cause: unknown, user: string | undefined): CliError | undefined {
  const message = cause instanceof Error ? cause.message : "";
  if (!/^NOPERM|can't access at least one of the keys/.test(message)) return undefined;
  return new CliError(
    `not allowed: Redis refused it to ${user ?? "this user"} (${message.split("\n")[0]})`,
    EXIT.notAllowed,
  );
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
