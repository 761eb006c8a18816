/** The http handler against real servers on 127.0.0.1: redirects, the body cap, the timeouts. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http } from "../../src/engine/handlers/http.js";
import type { HandlerContext } from "../../src/engine/handlers/types.js";
import { HANDLER_ARGS } from "../../src/spec/index.js";

const seen: { server: "home" | "away"; url: string; headers: IncomingHttpHeaders }[] = [];
let home: Server;
let away: Server;
let homeBase: string;
let awayBase: string;
let bodyAborted: Promise<void>;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  let markAborted = () => {};
  bodyAborted = new Promise((r) => {
    markAborted = r;
  });
  home = createServer((req, res) => {
    seen.push({ server: "home", url: req.url ?? "", headers: req.headers });
    const url = new URL(req.url ?? "/", homeBase);
    if (url.pathname === "/local") return res.writeHead(302, { location: "/ok" }).end();
    if (url.pathname === "/elsewhere")
      return res.writeHead(302, { location: `${awayBase}/ok` }).end();
    if (url.pathname === "/loop") {
      const n = Number(url.searchParams.get("n") ?? 0);
      return res.writeHead(302, { location: `/loop?n=${n + 1}` }).end();
    }
    if (url.pathname === "/huge") {
      // 200 MiB, chunked (no content-length), written as fast as the client reads.
      const chunk = Buffer.alloc(64 * 1024, 120);
      let left = (200 * 1024 * 1024) / chunk.length;
      res.writeHead(200, { "content-type": "text/plain" });
      res.on("close", () => {
        if (left > 0) markAborted();
      });
      const pump = () => {
        while (left > 0 && res.write(chunk)) left--;
        if (left === 0) res.end();
      };
      res.on("drain", pump);
      return pump();
    }
    if (url.pathname === "/declared")
      return res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000));
    if (url.pathname === "/silent") return; // never answers
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ at: "home" }));
  });
  away = createServer((req, res) => {
    seen.push({ server: "away", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ at: "away" }));
  });
  homeBase = await listen(home);
  awayBase = await listen(away);
});
afterAll(async () => {
  home.closeAllConnections();
  await Promise.all([new Promise((r) => home.close(r)), new Promise((r) => away.close(r))]);
});

const secrets = {
  "x-api-key": "k-123",
  authorization: "Bearer t",
  cookie: "s=1",
  "x-tenant": "acme",
};

function call(args: Record<string, unknown>) {
  const ctx: HandlerContext = {
    args,
    signal: new AbortController().signal,
    idempotencyKey: "r:n:1",
    log: () => {},
    templates: { values: [] },
    killGraceMs: 0,
  };
  return http(ctx);
}

describe("the http handler's redirects", () => {
  it("follows a redirect within the same origin, headers and all", async () => {
    seen.length = 0;
    expect(await call({ url: `${homeBase}/local`, headers: secrets })).toEqual({ at: "home" });
    expect(seen.map((s) => [s.url, s.headers["x-api-key"]])).toEqual([
      ["/local", "k-123"],
      ["/ok", "k-123"],
    ]);
  });

  it("refuses a redirect to another origin by default, sending nothing there", async () => {
    seen.length = 0;
    await expect(call({ url: `${homeBase}/elsewhere`, headers: secrets })).rejects.toThrow(
      /another origin .*followRedirects: any/,
    );
    expect(seen.filter((s) => s.server === "away")).toEqual([]);
  });

  it("with followRedirects: any, goes there without credentials, cookies or custom headers", async () => {
    seen.length = 0;
    const out = await call({
      url: `${homeBase}/elsewhere`,
      headers: secrets,
      followRedirects: "any",
    });
    expect(out).toEqual({ at: "away" });
    const there = seen.find((s) => s.server === "away")!.headers;
    for (const name of [...Object.keys(secrets), "idempotency-key"])
      expect(there[name]).toBeUndefined();
  });

  it("stops after 10 redirects", async () => {
    seen.length = 0;
    await expect(call({ url: `${homeBase}/loop` })).rejects.toThrow(/more than 10 redirects/);
    expect(seen).toHaveLength(11);
  });
});

describe("the http handler's limits", () => {
  it("aborts a 200 MB body past the 1 MiB default cap", async () => {
    await expect(call({ url: `${homeBase}/huge` })).rejects.toThrow(
      "response body larger than 1048576 bytes (maxBytes)",
    );
    await bodyAborted; // the server saw the connection go before it had sent everything
  });

  it("honours with.maxBytes, also against a declared content-length", async () => {
    await expect(call({ url: `${homeBase}/declared`, maxBytes: 1000 })).rejects.toThrow(
      "response body larger than 1000 bytes (maxBytes)",
    );
    expect(await call({ url: `${homeBase}/declared`, maxBytes: 5000 })).toBe("x".repeat(5000));
  });

  it("fails a server that never answers after connectTimeout, and after timeout", async () => {
    await expect(call({ url: `${homeBase}/silent`, connectTimeout: "200ms" })).rejects.toThrow(
      /within 200ms \(connectTimeout\)/,
    );
    await expect(call({ url: `${homeBase}/silent`, timeout: "200ms" })).rejects.toThrow(
      /within 200ms \(timeout\)/,
    );
  });

  it("takes the new keys in the spec and rejects bad ones", () => {
    const ok = {
      url: "http://x",
      followRedirects: "any",
      maxBytes: 10,
      connectTimeout: "2s",
      timeout: "1m",
    };
    expect(HANDLER_ARGS.http.safeParse(ok).success).toBe(true);
    expect(HANDLER_ARGS.http.safeParse({ url: "http://x", followRedirects: "yes" }).success).toBe(
      false,
    );
    expect(HANDLER_ARGS.http.safeParse({ url: "http://x", timeout: "soon" }).success).toBe(false);
  });
});
