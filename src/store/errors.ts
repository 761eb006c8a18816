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
    super(`cannot reach Redis at ${url}: ${reason}`);
  }
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
