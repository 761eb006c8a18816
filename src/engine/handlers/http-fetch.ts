/**
 * The transport under the http handler: redirects followed by hand (same origin only unless
 * `followRedirects: any`, and then with none of the caller's headers), at most MAX_REDIRECTS;
 * the body read as a stream and cut off past `maxBytes`; a deadline for the response headers
 * of each hop (`connectTimeout`: Node's fetch has no connect-only hook) and one for the whole.
 */
import { HandlerError } from "./types.js";

export const MAX_REDIRECTS = 10;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type RedirectPolicy = "same-origin" | "any" | "none";

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  followRedirects: RedirectPolicy;
  maxBytes: number;
  connectTimeoutMs: number | undefined;
  timeoutMs: number | undefined;
}

export interface HttpReply {
  status: number;
  url: string;
  text: string;
}

/** Sends the request and follows its redirects; the caller's `signal` stops it as it is. */
export async function sendHttp(req: HttpRequest, signal: AbortSignal): Promise<HttpReply> {
  const total = deadline(
    req.timeoutMs,
    () => `no complete response within ${req.timeoutMs}ms (timeout)`,
  );
  const stop = AbortSignal.any([signal, total.signal]);
  try {
    let url = new URL(req.url);
    let { method, body } = req;
    let headers = req.headers;
    for (let hop = 0; ; hop++) {
      const response = await fetchHeaders(
        url,
        { method, headers, body },
        stop,
        req.connectTimeoutMs,
      );
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || location === null || req.followRedirects === "none")
        return {
          status: response.status,
          url: url.href,
          text: await readCapped(response, req.maxBytes),
        };
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS)
        throw new HandlerError(
          `more than ${MAX_REDIRECTS} redirects, the last to ${location}`,
          "E_REDIRECTS",
        );
      const next = new URL(location, url);
      if (next.origin !== url.origin && req.followRedirects !== "any")
        throw new HandlerError(
          `redirect from ${url.origin} to another origin (${next.origin}) not followed; set followRedirects: any to follow it without the request's headers`,
          "E_REDIRECT_ORIGIN",
        );
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
      }
      // Credentials, cookies and custom headers stay with the origin they were meant for.
      if (next.origin !== url.origin) headers = {};
      headers =
        body === undefined
          ? withoutKey(headers, "content-type")
          : withContentType(headers, req.headers);
      url = next;
    }
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    if (total.fired) throw new HandlerError(total.message(), "E_TIMEOUT");
    throw cause;
  } finally {
    total.clear();
  }
}

async function fetchHeaders(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
  stop: AbortSignal,
  connectTimeoutMs: number | undefined,
): Promise<Response> {
  const connect = deadline(
    connectTimeoutMs,
    () => `no response from ${url.origin} within ${connectTimeoutMs}ms (connectTimeout)`,
  );
  try {
    return await fetch(url, {
      ...init,
      redirect: "manual",
      signal: AbortSignal.any([stop, connect.signal]),
    });
  } catch (cause) {
    if (connect.fired && !stop.aborted) throw new HandlerError(connect.message(), "E_TIMEOUT");
    throw cause;
  } finally {
    connect.clear();
  }
}

/** The body as text, read chunk by chunk and abandoned as soon as it passes `maxBytes`. */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HandlerError(`response body larger than ${maxBytes} bytes (maxBytes)`, "E_BODY_TOO_LARGE");
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function deadline(ms: number | undefined, message: () => string) {
  const controller = new AbortController();
  const state = { fired: false };
  const timer =
    ms === undefined
      ? undefined
      : setTimeout(() => {
          state.fired = true;
          controller.abort(new HandlerError(message(), "E_TIMEOUT"));
        }, ms);
  return {
    signal: controller.signal,
    get fired() {
      return state.fired;
    },
    message,
    clear: () => clearTimeout(timer),
  };
}

function withContentType(headers: Record<string, string>, original: Record<string, string>) {
  const type = Object.entries(original).find(([k]) => k.toLowerCase() === "content-type");
  return type === undefined
    ? headers
    : { ...withoutKey(headers, "content-type"), [type[0]]: type[1] };
}

function withoutKey(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== name));
}
