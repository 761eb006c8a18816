/**
 * What a failed CEL check says: the library's message in words a user can act on, and the
 * offset of what is at fault (for a type error, the operand that has the wrong type).
 */
import type { Environment } from "@marcbachmann/cel-js";

export type CheckResult =
  | { ok: true; type: string }
  | { ok: false; message: string /** 0-based offset in the expression */; offset: number };

/** Where the library's syntax tree puts a node (type errors carry the node, not a range). */
interface CelNode {
  pos?: number;
  start?: number;
  end?: number;
  left?: CelNode;
  right?: CelNode;
}

export function failure(
  cause: unknown,
  expression?: string,
  environment?: Environment,
): CheckResult {
  const e = cause as {
    summary?: string;
    message?: string;
    range?: { start?: number };
    node?: CelNode;
  };
  const message = (e.summary ?? e.message ?? String(cause)).split("\n")[0]!;
  // A type error's range is the whole operation; the operand at fault says more.
  const offset =
    (expression !== undefined && environment !== undefined
      ? culprit(e.node, message, expression, environment)
      : undefined) ??
    e.range?.start ??
    e.node?.pos ??
    0;
  return { ok: false, message: describe(message), offset };
}

/**
 * For "logical operator requires bool operands": the operand that is not a bool, so the column
 * points at `params.source` in `a >= b && params.source`, not at the start of the expression.
 */
function culprit(
  node: CelNode | undefined,
  message: string,
  expression: string,
  environment: Environment,
): number | undefined {
  if (!node?.left || !node.right || !/operands?/.test(message)) return undefined;
  for (const side of [node.left, node.right]) {
    if (side.start === undefined || side.end === undefined) continue;
    try {
      const checked = environment.check(expression.slice(side.start, side.end));
      if (checked.valid && String(checked.type) !== "bool" && String(checked.type) !== "dyn")
        return side.start;
    } catch {
      // not an expression on its own: try the other side
    }
  }
  return undefined;
}

/** The library's wording, made to say what the user can do about it. */
function describe(message: string): string {
  const key = /^No such key: (.*)$/.exec(message);
  if (key) return `\`${key[1]}\` is not defined here`;
  const variable = /^Unknown variable: (.*)$/.exec(message);
  if (variable) return `unknown variable \`${variable[1]}\` (expressions see params, nodes, run)`;
  return message.replace(/^./, (c) => c.toLowerCase());
}
