/**
 * A shell task's argv with its `${...}` values put in as data: each argv word gets its value as
 * text (one word stays one word), and a script a POSIX shell runs gets quoted references to
 * `$WEFT_ARG_n`, the values travelling as environment (see spec/shell-script.ts). A templated
 * interpreter is refused: the validator refuses it too, this guards versions saved before.
 */
import {
  isTemplated,
  planShell,
  renderShellScript,
  scanShellScript,
  templateText,
} from "../../spec/index.js";
import { HandlerError } from "./types.js";

export interface ShellCommand {
  argv: string[];
  /** Values for `$WEFT_ARG_1`, `$WEFT_ARG_2`, … */
  values: string[];
}

type Evaluate = (expression: string) => unknown;
type Substitute = (text: string) => unknown;

export function shellCommand(
  raw: Record<string, unknown>,
  evaluate: Evaluate,
  substitute: Substitute,
): ShellCommand {
  const plan = planShell(raw);
  const values: string[] = [];
  const script = (text: string): string => {
    const scan = scanShellScript(text);
    if (!scan.ok) throw new HandlerError(scan.message, "bad_script");
    return renderShellScript(scan.parts, evaluate, values);
  };
  if (plan.mode === "script") {
    if (plan.interpreter.some(isTemplated))
      throw new HandlerError(
        `the interpreter \`${plan.interpreter.join(" ")}\` is templated: a value may not choose the program`,
        "templated_shell",
      );
    const body = plan.posix ? script(plan.script) : templateText(substitute(plan.script));
    return { argv: [...plan.interpreter, body], values };
  }
  if (plan.problem) throw new HandlerError(`command: ${plan.problem.message}`, "bad_command");
  const argv = plan.words.map((word, i) =>
    i === plan.scriptAt ? script(word) : templateText(substitute(word)),
  );
  return { argv, values };
}
