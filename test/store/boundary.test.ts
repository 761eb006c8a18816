/**
 * Only src/store talks to Redis: no other source file imports ioredis or names RedisClient, and
 * the app, CLI and TUI never reach into the engine's client, registry, run store or keys.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const outside = (layer: string) =>
  sources(join(root, "src"))
    .map((path) => relative(root, path))
    .filter((path) => !path.startsWith(`src/${layer}/`));

describe("the Redis boundary", () => {
  it("keeps ioredis and the RedisClient type inside src/store", () => {
    const offenders = outside("store").filter((path) =>
      /from "ioredis"|\bRedisClient\b/.test(readFileSync(join(root, path), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("sends no Redis command outside src/store (a connection is only duplicated there)", () => {
    const offenders = outside("store").filter((path) =>
      /\.redis\??\.(?!duplicate\b)\w+\(|\bclientOf\(/.test(readFileSync(join(root, path), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps the engine's client, registry, run store and keys inside src/engine", () => {
    const offenders = outside("engine")
      .filter((path) => !path.startsWith("src/store/"))
      .filter((path) =>
        /\bengine\.(options|runs|registry|keys|events|workers|sweepIndex)\b/.test(
          readFileSync(join(root, path), "utf8"),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
