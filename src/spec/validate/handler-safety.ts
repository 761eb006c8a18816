/**
 * What a task may run. Modules: the path is never templated and stays inside the worker's
 * WEFT_MODULE_PATH (no `..`); the worker checks the rest when it loads it. Shell tasks, read the way the engine will run them (shell-invocation.ts): a templated
 * interpreter is refused, a script the shell cannot be given values in is refused, and a
 * value spliced into code (an `sh -c` script in argv form, another interpreter's script) is
 * pointed out with the safe form.
 */
import { type Draft, error, type Path, warning } from "../findings.js";
import { isTemplated, planShell } from "../shell-invocation.js";
import { scanShellScript } from "../shell-script.js";
import { scanTemplate } from "../templates.js";
import type { Facts } from "./facts.js";

export function checkHandlerSafety(f: Facts): Draft[] {
  const out: Draft[] = [];
  f.workflow.nodes.forEach((node, index) => {
    if (node.kind !== "task" && node.kind !== "compensation") return;
    if (node.handler === "shell") checkShellTask(node, ["nodes", index, "with"], out);
    if (node.handler === "module") checkModuleTask(node, ["nodes", index, "with", "path"], out);
  });
  return out;
}

function checkModuleTask(
  node: { id: string; with: Record<string, unknown> },
  at: Path,
  out: Draft[],
) {
  const path = node.with.path;
  if (typeof path !== "string") return;
  const problem = isTemplated(path)
    ? "the module path is templated: a value would choose the code that runs"
    : path.split(/[\\/]/).includes("..")
      ? "the module path has a `..`: modules load only from inside WEFT_MODULE_PATH"
      : undefined;
  if (problem)
    out.push(
      error("E_MODULE_PATH", at, problem, {
        nodeId: node.id,
        hint: "name the file relative to the module path (default ./modules), e.g. etl/extract.mjs",
      }),
    );
}

function checkShellTask(
  node: { id: string; with: Record<string, unknown> },
  at: Path,
  out: Draft[],
) {
  const args = node.with;
  const nodeId = node.id;
  const plan = planShell(args);
  if (plan.mode === "script") {
    const key = plan.interpreterKey;
    const written = key === undefined ? undefined : args[key];
    const texts = Array.isArray(written) ? written.map(String) : [String(written ?? "")];
    texts.forEach((text, i) => {
      const scan = scanTemplate(text);
      if (scan.ok && scan.expressions.length === 0) return;
      out.push(
        error(
          "E_SHELL_TEMPLATED",
          Array.isArray(written) ? [...at, key!, i] : [...at, key!],
          `the interpreter \`${text}\` is templated: a value would choose the program that runs`,
          {
            nodeId,
            offset: scan.ok ? (scan.expressions[0]?.offset ?? 0) - 2 : scan.offset,
            hint: "name the shell itself (`shell: bash`); pass values in the script or in `env`",
          },
        ),
      );
    });
    const scriptPath = [...at, plan.scriptKey];
    if (plan.posix) {
      const joined = plan.scriptKey === "command" && Array.isArray(args.command);
      const scan = scanShellScript(plan.script);
      // An unclosed `${` is reported with the expressions (E_TEMPLATE).
      if (!scan.ok && scanTemplate(plan.script).ok)
        out.push(
          error("E_SHELL_SCRIPT", scriptPath, scan.message, {
            nodeId,
            ...(joined ? {} : { offset: scan.offset }),
            hint: "use an unquoted delimiter (<<EOF) so the value arrives as a variable",
          }),
        );
      return;
    }
    const scan = scanTemplate(plan.script);
    if (scan.ok && scan.expressions.length > 0)
      out.push(
        warning(
          "W_SCRIPT_SPLICE",
          scriptPath,
          `\`${plan.interpreter[0]}\` is not a shell weft knows how to quote for: \`\${${scan.expressions[0]!.expression}}\` is put into its code as text`,
          {
            nodeId,
            offset: scan.expressions[0]!.offset - 2,
            hint: "pass the value in `env` (env: {X: ...}) and read the variable in the script",
          },
        ),
      );
    return;
  }
  if (plan.problem) {
    // An unclosed `${` is reported with the expressions (E_TEMPLATE).
    if (scanTemplate(String(args.command ?? "")).ok) {
      out.push(
        error(
          "E_SHELL_WORDS",
          [...at, "command"],
          `the command does not split into words: ${plan.problem.message}`,
          {
            nodeId,
            offset: plan.problem.offset,
            hint: "close the quote, or give the command as a list ([prog, arg, ...])",
          },
        ),
      );
    }
    return;
  }
  const wordPath = (i: number): Path => (plan.split ? [...at, "command"] : [...at, "command", i]);
  if (plan.words[0] !== undefined && isTemplated(plan.words[0]))
    out.push(
      warning(
        "W_TEMPLATED_PROGRAM",
        wordPath(0),
        `the program \`${plan.words[0]}\` is templated: a value chooses what runs`,
        { nodeId, hint: "name the program; pass the value as an argument" },
      ),
    );
  if (plan.scriptAt === undefined) return;
  const script = plan.words[plan.scriptAt]!;
  const scan = scanTemplate(script);
  if (!scan.ok || scan.expressions.length === 0) return;
  const first = scan.expressions[0]!;
  const program = plan.words.slice(0, plan.scriptAt).join(" ");
  const programList = plan.words.slice(0, plan.scriptAt).join(", ");
  out.push(
    warning(
      "W_SHELL_SPLICE",
      wordPath(plan.scriptAt),
      `\`\${${first.expression}}\` is inside the script \`${program}\` runs: weft passes it as a quoted variable ($WEFT_ARG_n), so it stays one value, but the script reads as if it were code`,
      {
        nodeId,
        ...(plan.split ? {} : { offset: first.offset - 2 }),
        hint: `say it plainly: \`shell: ${plan.words[0]}\` with \`command: ${JSON.stringify(script)}\`, or pass it as an argument: [${programList}, 'echo "$1"', ${plan.words[0]}, "\${${first.expression}}"]`,
      },
    ),
  );
}
