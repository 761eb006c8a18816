/** Every error the store raises, typed, with a message a user can act on. */
export class StoreError extends Error {
  override name = "StoreError";
}

export class RedisMissingError extends StoreError {
  override name = "RedisMissingError";
  constructor() {
    super(
      "redis-server is not installed: weft keeps workflows in Redis. Install it with `sudo apt-get install -y redis-server` (the README's `npm start` does it), or point REDIS_URL at a Redis 7+ server.",
    );
  }
}

export class RedisUnreachableError extends StoreError {
  override name = "RedisUnreachableError";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`Redis unreachable at ${url}: ${reason}`);
  }
}

/** REDIS_URL is not one of the forms weft takes; `url` is masked. */
export class RedisUrlError extends StoreError {
  override name = "RedisUrlError";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      `REDIS_URL ${url} is malformed (${reason}): expected redis://[user:password@]host[:port][/db], rediss://[user:password@]host[:port][/db], unix:///path[?password=…] or a comma list of cluster nodes (host:port,host:port)`,
    );
  }
}

/** Redis turned the credentials down (WRONGPASS), or wants some and got none (NOAUTH). */
export class RedisAuthError extends StoreError {
  override name = "RedisAuthError";
  constructor(
    readonly url: string,
    readonly user: string,
    given: boolean,
  ) {
    super(
      given
        ? `Redis refused the password for user ${user} at ${url}`
        : `Redis asks for a password for user ${user} at ${url}: put it in REDIS_URL (redis://${user === "default" ? "" : user}:PASSWORD@host…, or ?password=…)`,
    );
  }
}

/** Redis turned the credentials down, or wants some: WRONGPASS, NOAUTH, or Redis 5's reply. */
const AUTH_FAILURE = /^(WRONGPASS|NOAUTH|ERR invalid password|ERR invalid username-password)/;

/** A reply (first line) that refuses the credentials, as the error the edge prints. */
export function authFailureFrom(
  reason: string,
  url: string,
  user: string,
): RedisAuthError | undefined {
  return AUTH_FAILURE.test(reason)
    ? new RedisAuthError(url, user, !reason.startsWith("NOAUTH"))
    : undefined;
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// Only failures of the socket itself: ENOENT from opening a file is not an outage.
const SOCKET_CALLS = new Set(["connect", "getaddrinfo", "read"]);
const syscallOf = (cause: Error) => (cause as NodeJS.ErrnoException).syscall ?? "";
const UNREACHABLE_MESSAGES =
  /^(Connection is closed\.|Reached the max retries per request limit|Stream isn't writeable|None of startup nodes is available|Failed to refresh slots cache|LOADING )/;

/**
 * An error of the Redis client that means "Redis is not there" (refused, closed mid-command,
 * retries exhausted, socket gone) or "Redis will not let `user` in" (the password changed under
 * a running command), as the one error the edge prints; anything else: undefined.
 */
export function unreachableFrom(
  cause: unknown,
  url: string,
  user = "default",
): RedisUnreachableError | RedisAuthError | undefined {
  if (cause instanceof RedisUnreachableError || cause instanceof RedisAuthError) return cause;
  if (!(cause instanceof Error)) return undefined;
  const refused = authFailureFrom(cause.message, url, user);
  if (refused) return refused;
  const code = (cause as NodeJS.ErrnoException).code;
  const known =
    cause.name === "MaxRetriesPerRequestError" ||
    cause.name === "ClusterAllFailedError" ||
    (code !== undefined && UNREACHABLE_CODES.has(code) && SOCKET_CALLS.has(syscallOf(cause))) ||
    UNREACHABLE_MESSAGES.test(cause.message);
  if (!known) return undefined;
  const reason =
    cause.name === "MaxRetriesPerRequestError" || cause.message === "Connection is closed."
      ? "the connection was lost"
      : cause.message.split("\n")[0]!;
  return new RedisUnreachableError(url, reason);
}

/** Replies a server gives while it cannot serve yet; any other reply is an answer. */
const NOT_READY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOSCRIPT)\b/;

/**
 * Whether a failed call means "Redis is away, try again" (a dropped connection, a client that
 * gave up on a command, a server still loading its data) rather than an answer. A missing run or
 * a reply not understood is an answer; a bug in our code is not an outage.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "ReplyError") return NOT_READY.test(error.message);
  return !(
    error instanceof StoreError ||
    error instanceof TypeError ||
    error instanceof SyntaxError ||
    error instanceof RangeError
  );
}

export class RedisVersionError extends StoreError {
  override name = "RedisVersionError";
  constructor(url: string, version: string) {
    super(`Redis at ${url} is version ${version}; weft needs Redis 7.0 or newer`);
  }
}

export class EmbeddedRedisError extends StoreError {
  override name = "EmbeddedRedisError";
}

export class ConflictError extends StoreError {
  override name = "ConflictError";
  constructor(
    readonly workflow: string,
    readonly yourParent: number,
    readonly current: number,
    readonly currentAuthor: string,
    readonly parentAuthor = "",
  ) {
    super(
      yourParent === 0
        ? `workflow \`${workflow}\` already exists (version ${current}, by ${currentAuthor || "unknown"}); open it and save on top of it, or pick another name`
        : `workflow \`${workflow}\` changed since you opened it: you edited version ${yourParent}${parentAuthor ? ` (saved by ${parentAuthor})` : ""}, the current version is ${current} (saved by ${currentAuthor || "unknown"})`,
    );
  }
}

export class NotFoundError extends StoreError {
  override name = "NotFoundError";
}

/** A script reply weft does not understand: a bug or a mismatched script, never user error. */
export class ScriptReplyError extends StoreError {
  override name = "ScriptReplyError";
}
