/** HTTP tasks: method, url, headers, body; an unexpected status fails with that status as code. */
import { type Handler, HandlerError } from "./types.js";

export const http: Handler = async ({ args, signal, idempotencyKey, log }) => {
  const headers: Record<string, string> = {
    "idempotency-key": idempotencyKey,
    ...((args.headers as Record<string, string>) ?? {}),
  };
  let body: string | undefined;
  if (args.body !== undefined) {
    body = typeof args.body === "string" ? args.body : JSON.stringify(args.body);
    if (typeof args.body !== "string") headers["content-type"] ??= "application/json";
  }
  const response = await fetch(String(args.url), {
    method: String(args.method ?? "GET"),
    headers,
    body,
    signal,
  });
  const text = await response.text();
  log(`${args.method ?? "GET"} ${args.url} -> ${response.status}\n`);
  const expected = (args.expectStatus as number[] | undefined) ?? [200, 201, 202, 204];
  if (!expected.includes(response.status))
    throw new HandlerError(`HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return text;
  }
};
