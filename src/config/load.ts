/**
 * Loading themes and keymaps: the bundled ones, or a user's own file, checked with zod. A bad
 * file is a clear error naming the file, the entry and the key; it never half-applies.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { InputFileError, readInputFile } from "./input-file.js";
import { type Keymap, KeymapSchema, keymapProblems } from "./keymap.js";
import { type Theme, ThemeSchema } from "./theme.js";

/** The package root: themes/ and keymaps/ sit beside src/ (and dist/). */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export class ConfigError extends Error {}

function readChecked<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readInputFile(file, file).toString("utf8"));
  } catch (cause) {
    if (cause instanceof InputFileError) throw new ConfigError(cause.message);
    throw new ConfigError(`${file}: cannot read this ${what}: ${(cause as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".") || "(top)"}: ${i.message}${describeAt(raw, i.path)}`,
    );
    throw new ConfigError(
      `${file}: this ${what} has ${lines.length} problem(s):\n${lines.join("\n")}`,
    );
  }
  return parsed.data;
}

function describeAt(root: unknown, path: readonly PropertyKey[]): string {
  let v = root;
  for (const k of path)
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v === undefined || typeof v === "object" ? "" : ` (found ${JSON.stringify(v)})`;
}

/** A bundled name (`dark`, `vim`) or a path to a JSON file. */
function locate(nameOrPath: string, folder: "themes" | "keymaps"): string {
  if (nameOrPath.endsWith(".json") || nameOrPath.includes("/")) return resolve(nameOrPath);
  const file = join(packageRoot, folder, `${nameOrPath}.json`);
  if (!existsSync(file))
    throw new ConfigError(
      `no ${folder === "themes" ? "theme" : "keymap"} named \`${nameOrPath}\` (bundled: ${bundled(folder).join(", ")})`,
    );
  return file;
}

export const bundled = (folder: "themes" | "keymaps"): string[] =>
  folder === "themes" ? ["dark", "light", "high-contrast", "no-color"] : ["default", "vim"];

export function loadTheme(nameOrPath: string): Theme {
  return readChecked(locate(nameOrPath, "themes"), ThemeSchema, "theme");
}

export function loadKeymap(nameOrPath: string): Keymap {
  const file = locate(nameOrPath, "keymaps");
  const keymap = readChecked(file, KeymapSchema, "keymap");
  const problems = keymapProblems(keymap);
  if (problems.length > 0)
    throw new ConfigError(
      `${file}: this keymap has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  return keymap;
}

/** NO_COLOR (any non-empty value) wins over every theme choice. */
export function themeName(env: Record<string, string | undefined>, chosen?: string): string {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return "no-color";
  return chosen ?? env.WEFT_THEME ?? "dark";
}

/** The user's own settings directory: `$XDG_CONFIG_HOME/weft` or `~/.config/weft`. */
export function userConfigDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "weft");
}

const KeymapOverrideSchema = z.strictObject({
  extends: z.string().min(1).optional(),
  bindings: z.array(
    KeymapSchema.shape.bindings.element
      .pick({ command: true, keys: true })
      .extend({ contexts: KeymapSchema.shape.bindings.element.shape.contexts.optional() }),
  ),
});

/**
 * The keymap to use: `chosen` (a name or file), else `keymap.json` in the user's config
 * directory, which may rebind only some commands (`{"extends": "vim", "bindings": [...]}`).
 */
export function loadUserKeymap(env: Record<string, string | undefined>, chosen?: string): Keymap {
  if (chosen) return loadKeymap(chosen);
  const file = join(userConfigDir(env), "keymap.json");
  if (!existsSync(file)) return loadKeymap("default");
  const override = readChecked(file, KeymapOverrideSchema, "keymap override");
  const base = loadKeymap(override.extends ?? "default");
  // A rebinding names contexts to change the keys only there; without them it changes the
  // command's keys wherever it is bound.
  const rebound = (b: Keymap["bindings"][number]) =>
    override.bindings.findLast(
      (o) =>
        o.command === b.command && (!o.contexts || o.contexts.some((c) => b.contexts.includes(c))),
    )?.keys;
  const keymap: Keymap = {
    ...base,
    name: `${base.name} + ${file}`,
    bindings: base.bindings.map((b) => ({ ...b, keys: rebound(b) ?? b.keys })),
  };
  const problems = keymapProblems(keymap);
  if (problems.length > 0)
    throw new ConfigError(
      `${file}: with these keys the keymap has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  return keymap;
}
