/** The handlers that need nothing outside the process: noop, sleep, fail. */
import { parseDuration } from "../../spec/index.js";
import { type Handler, HandlerError, sleepFor } from "./types.js";

export const noop: Handler = async ({ args }) => args.output ?? null;

export const sleep: Handler = async ({ args, signal }) => {
  const ms = parseDuration(String(args.duration));
  if (ms === undefined)
    throw new HandlerError(`sleep: \`${String(args.duration)}\` is not a duration`, "bad_args");
  await sleepFor(ms, signal);
  return null;
};

export const fail: Handler = async ({ args }) => {
  throw new HandlerError(
    String(args.message ?? "failed on purpose"),
    args.code as string | number | undefined,
  );
};
