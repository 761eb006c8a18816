/** The `with` arguments each task handler takes; shared by the validator and, later, the engine. */
import { z } from "zod";
import { DURATION_HINT, parseDuration } from "./duration.js";
import type { HandlerName } from "./model.js";

const stringMap = z.record(z.string(), z.string());
const duration = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, { message: DURATION_HINT });

export const HANDLER_ARGS = {
  shell: z
    .strictObject({
      /** argv form by default (`["ls", "-l"]`, or a string split into words); no shell unless asked. */
      command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
      /** A script body, run by the shell (or by `command` as its interpreter). */
      script: z.string().min(1).optional(),
      /** `true` runs `command` through `sh -c`; a string names the shell (`bash -e`). */
      shell: z.union([z.boolean(), z.string().min(1)]).default(false),
      cwd: z.string().optional(),
      env: stringMap.optional(),
      /** Names of the worker's environment variables passed through (the allow-list). */
      inheritEnv: z.array(z.string()).default([]),
      /**
       * Files the whole stdout / stderr is also written to (Dagu's `stdout:`), relative to `cwd`
       * when it is given, else to the worker's directory; the node keeps its capped copy as ever.
       */
      stdout: z.string().min(1).optional(),
      stderr: z.string().min(1).optional(),
    })
    .refine((a) => a.command !== undefined || a.script !== undefined, {
      message: "a shell task needs `command` or `script`",
      path: ["command"],
    }),
  http: z.strictObject({
    url: z.string().min(1),
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
    headers: stringMap.default({}),
    body: z.unknown().optional(),
    expectStatus: z.array(z.number().int().min(100).max(599)).default([200, 201, 202, 204]),
    /** `same-origin` (the default): redirects within scheme+host+port; `any`: elsewhere too, but without the request's headers; `none`. */
    followRedirects: z.enum(["same-origin", "any", "none"]).optional(),
    /** Largest response body kept, in bytes (default 1 MiB); a larger one fails the node. */
    maxBytes: z.number().int().positive().optional(),
    /** How long each hop may take to send its response headers. */
    connectTimeout: duration.optional(),
    /** How long the whole exchange may take, redirects and body included. */
    timeout: duration.optional(),
  }),
  module: z.strictObject({
    path: z.string().min(1),
    export: z.string().min(1).default("default"),
    input: z.unknown().optional(),
  }),
  noop: z.strictObject({ output: z.unknown().optional() }),
  sleep: z.strictObject({ duration: z.string() }),
  fail: z.strictObject({
    message: z.string().default("failed on purpose"),
    code: z.union([z.string(), z.number().int()]).optional(),
  }),
} satisfies Record<HandlerName, z.ZodType>;

export type HandlerArgs<H extends HandlerName> = z.output<(typeof HANDLER_ARGS)[H]>;
