/**
 * What a shell task runs, read from its `with` as written (before any value is put in), so the
 * validator and the engine agree:
 * - `shell: true | sh | bash | zsh | <path> [flags]`: that interpreter with `-c` and the script
 *   (`script`, else `command`). The interpreter itself is never templated.
 * - `script` without `shell`: run by `command` as its interpreter (`python3`), or by `/bin/sh`.
 * - otherwise argv: the `command` list, or the string split with shell-word rules (never on the
 *   values put in later). `[sh, -c, SCRIPT, ...]` is recognised: SCRIPT is a shell script.
 */
import { splitWords, wordsOf } from "./shell-words.js";
import { scanTemplate } from "./templates.js";

export type ShellPlan =
  | {
      mode: "script";
      /** The program and its arguments up to and including `-c`. */
      interpreter: string[];
      /** Where the interpreter was written, when it was. */
      interpreterKey?: "shell" | "command";
      scriptKey: "command" | "script";
      script: string;
      /** A POSIX shell: values reach it as quoted variable references. */
      posix: boolean;
    }
  | {
      mode: "argv";
      words: string[];
      /** `command` was a string, split into `words`. */
      split: boolean;
      /** Index of the word a POSIX shell runs as a script (`sh -c SCRIPT`). */
      scriptAt?: number;
      /** Why a string `command` does not split into words (an unclosed quote); `words` is then the whole text. */
      problem?: { message: string; offset: number };
    };

const POSIX_SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash"]);

export function isPosixShell(program: string | undefined): boolean {
  return program !== undefined && POSIX_SHELLS.has(program.slice(program.lastIndexOf("/") + 1));
}

/** `-c`, or a flag cluster ending the options with it (`-ec`, `-xc`). */
const COMMAND_FLAG = /^-[A-Za-z]*c[A-Za-z]*$/;

/** Whether a value's text holds a `${...}` template. */
export function isTemplated(text: string): boolean {
  const scan = scanTemplate(text);
  return !scan.ok || scan.expressions.length > 0;
}

const withDashC = (words: string[]): string[] =>
  words.length > 1 && COMMAND_FLAG.test(words[words.length - 1]!) ? words : [...words, "-c"];

const commandText = (command: unknown): string =>
  Array.isArray(command) ? command.map(String).join(" ") : String(command ?? "");

export function planShell(args: Record<string, unknown>): ShellPlan {
  const { shell, script, command } = args;
  const hasScript = typeof script === "string";
  if (hasScript && command !== undefined) {
    const interpreter = Array.isArray(command) ? command.map(String) : wordsOf(String(command));
    return {
      mode: "script",
      interpreter: withDashC(interpreter),
      interpreterKey: "command",
      scriptKey: "script",
      script,
      posix: isPosixShell(interpreter[0]),
    };
  }
  if (shell === true || (typeof shell === "string" && shell !== "") || hasScript) {
    const interpreter = typeof shell === "string" && shell !== "" ? wordsOf(shell) : ["/bin/sh"];
    return {
      mode: "script",
      interpreter: withDashC(interpreter),
      ...(typeof shell === "string" ? { interpreterKey: "shell" as const } : {}),
      scriptKey: hasScript ? "script" : "command",
      script: hasScript ? script : commandText(command),
      posix: isPosixShell(interpreter[0]),
    };
  }
  if (Array.isArray(command)) {
    const words = command.map(String);
    return { mode: "argv", words, split: false, ...scriptAtOf(words) };
  }
  const text = String(command ?? "");
  const split = splitWords(text);
  if (!split.ok)
    return {
      mode: "argv",
      words: [text],
      split: true,
      problem: { message: split.message, offset: split.offset },
    };
  return { mode: "argv", words: split.words, split: true, ...scriptAtOf(split.words) };
}

function scriptAtOf(words: string[]): { scriptAt?: number } {
  if (!isPosixShell(words[0])) return {};
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!;
    if (!w.startsWith("-") || w === "--" || w === "-") return {};
    if (COMMAND_FLAG.test(w)) return k + 1 < words.length ? { scriptAt: k + 1 } : {};
  }
  return {};
}
