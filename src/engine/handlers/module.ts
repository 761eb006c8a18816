/** Module tasks: a JS module's exported function, called with the input and an AbortSignal. */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Handler, HandlerError } from "./types.js";

export const moduleHandler: Handler = async ({ args, signal, idempotencyKey }) => {
  const mod = (await import(pathToFileURL(resolve(String(args.path))).href)) as Record<
    string,
    unknown
  >;
  const fn = mod[String(args.export ?? "default")];
  if (typeof fn !== "function")
    throw new HandlerError(
      `${args.path} exports no function \`${args.export ?? "default"}\``,
      "bad_module",
    );
  return await fn(args.input, { signal, idempotencyKey });
};
