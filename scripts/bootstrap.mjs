#!/usr/bin/env node
// Brings a fresh Debian machine with only Node 20 and npm up to what weft needs, and costs
// nothing on a machine that is already set up:
//   1. node_modules: `npm ci` when it is missing or older than package-lock.json's content or
//      the patches in patches/;
//   2. redis-server and tmux: `apt-get install` when missing and we are root, else one line
//      saying what to install;
//   3. dist/: `tsc` when any file under src/ is newer than the last build.
// Plain Node on purpose: it must run before any dependency is installed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line) => process.stderr.write(`weft setup: ${line}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.status !== 0) {
    say(
      `\`${cmd} ${args.join(" ")}\` failed (exit ${r.status ?? r.signal}); fix the error above and run again.`,
    );
    process.exit(r.status ?? 1);
  }
}

function ensureNodeModules() {
  // The lock file and the patches to dependencies (patch-package applies them on install).
  const hash = createHash("sha256").update(readFileSync(join(root, "package-lock.json")));
  const patches = join(root, "patches");
  for (const name of existsSync(patches) ? readdirSync(patches).sort() : [])
    hash.update(name).update(readFileSync(join(patches, name)));
  const want = hash.digest("hex");
  const stamp = join(root, "node_modules", ".weft-lock.sha256");
  const have = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
  if (have === want) return;
  say(
    existsSync(join(root, "node_modules"))
      ? "dependencies changed: npm ci"
      : "installing dependencies: npm ci",
  );
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(stamp, `${want}\n`);
}

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function ensureSystemTools() {
  const wanted = [
    ["redis-server", "redis-server"],
    ["tmux", "tmux"],
  ];
  const missing = wanted.filter(([cmd]) => !onPath(cmd)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !onPath("apt-get")) {
    say(
      `missing ${missing.join(" and ")}: install with \`sudo apt-get install -y ${missing.join(" ")}\` (weft's Redis features and end-to-end tests need them).`,
    );
    return;
  }
  say(`installing ${missing.join(" ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const stamp = join(root, "dist", ".build-stamp");
  const inputs = Math.max(
    newestMtime(join(root, "src")),
    statSync(join(root, "tsconfig.json")).mtimeMs,
    statSync(join(root, "tsconfig.build.json")).mtimeMs,
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= inputs) return;
  say("building dist/ from src/");
  run(process.execPath, [
    join(root, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    "tsconfig.build.json",
  ]);
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

ensureNodeModules();
ensureSystemTools();
ensureBuild();
