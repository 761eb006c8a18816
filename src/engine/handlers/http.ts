/**
 * HTTP tasks: method, url, headers, body; an unexpected status fails with that status as code.
 * Redirects, the body cap and the timeouts are http-fetch.ts's; defaults are applied here
 * because the engine passes `with` as written.
 */
import { parseDuration } from "../../spec/duration.js";
import { DEFAULT_MAX_BYTES, type RedirectPolicy, sendHttp } from "./http-fetch.js";
import { type Handler, HandlerError } from "./types.js";

export const http: Handler = async ({ args, signal, idempotencyKey, log }) => {
  const headers: Record<string, string> = {
    "idempotency-key": idempotencyKey,
    ...((args.headers as Record<string, string>) ?? {}),
  };
  let body: string | undefined;
  if (args.body !== undefined) {
    body = typeof args.body === "string" ? args.body : JSON.stringify(args.body);
    if (typeof args.body !== "string" && !hasHeader(headers, "content-type"))
      headers["content-type"] = "application/json";
  }
  const method = String(args.method ?? "GET");
  const reply = await sendHttp(
    {
      url: String(args.url),
      method,
      headers,
      body,
      followRedirects: (args.followRedirects as RedirectPolicy | undefined) ?? "same-origin",
      maxBytes: typeof args.maxBytes === "number" ? args.maxBytes : DEFAULT_MAX_BYTES,
      connectTimeoutMs: durationArg(args.connectTimeout, "connectTimeout"),
      timeoutMs: durationArg(args.timeout, "timeout"),
    },
    signal,
  );
  const { text } = reply;
  const via = reply.url === String(args.url) ? "" : ` (via ${reply.url})`;
  log(`${method} ${args.url} -> ${reply.status}${via}\n`);
  const expected = (args.expectStatus as number[] | undefined) ?? [200, 201, 202, 204];
  if (!expected.includes(reply.status))
    throw new HandlerError(`HTTP ${reply.status}: ${text.slice(0, 200)}`, reply.status);
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return text;
  }
};

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function durationArg(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  const ms = parseDuration(String(value));
  if (ms === undefined)
    throw new HandlerError(`${key}: not a duration: ${String(value)}`, "E_HANDLER_ARGS");
  return ms;
}
