/** Per-field rules the schema cannot state: durations, delays, cron, handler arguments, limits. */
import type { z } from "zod";
import { checkCron } from "../cron.js";
import { DURATION_HINT, parseDuration } from "../duration.js";
import { type Draft, error, type Path, valueAt, warning } from "../findings.js";
import { HANDLER_ARGS } from "../handlers.js";
import { linePatternProblems } from "../line-patterns.js";
import { PARAMETER_NAME, type Retries, type TaskNode } from "../model.js";
import type { Facts } from "./facts.js";

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export function checkFields(f: Facts): Draft[] {
  const out: Draft[] = [];
  const maxTimeout = parseDuration(f.limits.maxTimeout);
  const duration = (path: Path, value: string | undefined, nodeId?: string, max?: number) => {
    if (value === undefined) return;
    const ms = parseDuration(value);
    if (ms === undefined) {
      out.push(
        error("E_DURATION", path, `\`${value}\` is not a duration`, {
          nodeId,
          hint: DURATION_HINT,
        }),
      );
    } else if (max !== undefined && ms > max) {
      out.push(
        error(
          "E_LIMIT_TIMEOUT",
          path,
          `timeout ${value} is above the limit of ${f.limits.maxTimeout}`,
          { nodeId, hint: "shorten it, or raise `limits.maxTimeout`" },
        ),
      );
    }
  };
  const retries = (path: Path, r: Retries | undefined, nodeId?: string) => {
    if (!r) return;
    duration([...path, "initial"], r.initial, nodeId);
    duration([...path, "maxDelay"], r.maxDelay, nodeId);
    if (r.max > f.limits.maxRetries) {
      out.push(
        error(
          "E_LIMIT_RETRIES",
          [...path, "max"],
          `${r.max} retries is above the limit of ${f.limits.maxRetries}`,
          { nodeId, hint: "retry less, or raise `limits.maxRetries`" },
        ),
      );
    }
  };
  const queue = (path: Path, name: string | undefined, nodeId?: string) => {
    if (name !== undefined && !QUEUE_NAME.test(name)) {
      out.push(
        error("E_BAD_QUEUE", path, `queue name \`${name}\` is not valid`, {
          nodeId,
          hint: "queue names use letters, digits and `_ . : -`",
        }),
      );
    }
  };

  const d = f.workflow.defaults;
  duration(["defaults", "timeout"], d.timeout, undefined, maxTimeout);
  duration(["defaults", "killGrace"], d.killGrace, undefined, maxTimeout);
  retries(["defaults", "retries"], d.retries);
  queue(["defaults", "queue"], d.queue);
  const l = f.workflow.limits;
  duration(["limits", "maxTimeout"], l.maxTimeout);
  duration(["limits", "maxRunDuration"], l.maxRunDuration);

  for (const { node, index } of f.byId.values()) {
    const at = (...rest: (string | number)[]) => ["nodes", index, ...rest];
    queue(at("queue"), node.queue, node.id);
    if (node.kind === "task" || node.kind === "compensation") {
      duration(at("timeout"), node.timeout, node.id, maxTimeout);
      duration(at("killGrace"), node.killGrace, node.id, maxTimeout);
      retries(at("retries"), node.retries, node.id);
      out.push(...checkHandlerArgs(node.handler, node.with, at("with"), node.id));
      if (node.handler === "sleep" && typeof node.with.duration === "string")
        duration(at("with", "duration"), node.with.duration, node.id);
    }
    if (node.kind === "task") {
      duration(at("cache", "ttl"), node.cache?.ttl, node.id);
      out.push(...checkContinueOn(node, at("continueOn")));
      if (node.output !== undefined && !PARAMETER_NAME.test(node.output)) {
        out.push(
          error(
            "E_BAD_OUTPUT",
            at("output"),
            `output name \`${node.output}\` is not an identifier`,
            { nodeId: node.id, hint: "use letters, digits and `_`" },
          ),
        );
      }
    }
    if (node.kind === "subworkflow") duration(at("timeout"), node.timeout, node.id, maxTimeout);
    if (node.kind === "delay") {
      const given = (["duration", "until", "cron"] as const).filter((k) => node[k] !== undefined);
      if (given.length !== 1) {
        out.push(
          error(
            "E_DELAY",
            given.length === 0 ? at() : at(given[1]!),
            given.length === 0
              ? `delay \`${node.id}\` says neither how long nor until when`
              : `delay \`${node.id}\` sets ${given.join(" and ")}; it takes one`,
            {
              nodeId: node.id,
              hint: "set one of `duration` (90s), `until` (an ISO time or `${...}`) or `cron` (next fire time)",
            },
          ),
        );
      }
      duration(at("duration"), node.duration, node.id);
      if (node.cron !== undefined) {
        const problem = checkCron(node.cron);
        if (problem) out.push(error("E_CRON", at("cron"), problem, { nodeId: node.id }));
      }
      if (
        node.until !== undefined &&
        !node.until.includes("${") &&
        Number.isNaN(Date.parse(node.until))
      ) {
        out.push(
          error("E_DELAY", at("until"), `\`${node.until}\` is not a time`, {
            nodeId: node.id,
            hint: "write an ISO time such as 2026-01-31T09:00:00Z, or an expression `${...}`",
          }),
        );
      }
    }
  }
  return out;
}

function checkContinueOn(node: TaskNode, path: Path): Draft[] {
  const c = node.continueOn;
  if (!c) return [];
  const out: Draft[] = [];
  const nodeId = node.id;
  for (const { index, message } of linePatternProblems(c.output))
    out.push(
      error("E_PATTERN", [...path, "output", index], message, {
        nodeId,
        hint: "after `re:` comes a regular expression; without it the text is matched as it is",
      }),
    );
  if (c.output.length > 0 && node.handler !== "shell")
    out.push(
      warning(
        "W_CONTINUE_OUTPUT",
        [...path, "output"],
        `a ${node.handler} task prints no stdout, so \`continueOn.output\` never matches`,
        { nodeId, hint: "match its codes with `continueOn.codes` instead" },
      ),
    );
  const listed = c.codes.length > 0 || c.output.length > 0;
  if (node.continueOnFailure && listed)
    out.push(
      warning(
        "W_CONTINUE_REDUNDANT",
        [...path, c.codes.length > 0 ? "codes" : "output"],
        "`continueOnFailure` already goes on past every failure, so these lists change nothing",
        { nodeId, hint: "set `continueOnFailure: false` to go on past only the failures listed" },
      ),
    );
  if (c.markSuccess && !node.continueOnFailure && !listed)
    out.push(
      warning(
        "W_MARK_SUCCESS",
        [...path, "markSuccess"],
        "`markSuccess` has no failure to apply to",
        {
          nodeId,
          hint: "list codes or output patterns under `continueOn`, or set `continueOnFailure: true`",
        },
      ),
    );
  return out;
}

function checkHandlerArgs(
  handler: keyof typeof HANDLER_ARGS,
  args: Record<string, unknown>,
  path: Path,
  nodeId: string,
): Draft[] {
  const schema: z.ZodType = HANDLER_ARGS[handler];
  const parsed = schema.safeParse(args);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const sub = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const unknown = issue.code === "unrecognized_keys" ? issue.keys : [];
    const field = sub.length > 0 ? `\`${sub.join(".")}\`` : "its arguments";
    const missing = issue.code === "invalid_type" && valueAt(args, sub) === undefined;
    const message =
      unknown.length > 0
        ? `the ${handler} handler takes no \`${unknown.join("`, `")}\``
        : missing
          ? `the ${handler} handler needs ${field}`
          : issue.code === "custom"
            ? issue.message
            : `${handler} handler: ${field}: ${issue.message.replace(/^Invalid input: /, "").replace(/^./, (c) => c.toLowerCase())}`;
    return error(
      "E_HANDLER_ARGS",
      unknown.length > 0 ? [...path, unknown[0]!] : [...path, ...sub],
      message,
      {
        nodeId,
        atKey: unknown.length > 0,
        hint: `the ${handler} handler takes: ${handlerKeys(handler)}`,
      },
    );
  });
}

function handlerKeys(handler: keyof typeof HANDLER_ARGS): string {
  const schema = HANDLER_ARGS[handler] as unknown as {
    shape?: Record<string, unknown>;
    def?: { in?: { shape?: Record<string, unknown> } };
  };
  const shape = schema.shape ?? schema.def?.in?.shape ?? {};
  return Object.keys(shape).join(", ") || "nothing";
}
