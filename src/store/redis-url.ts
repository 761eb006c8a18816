/**
 * REDIS_URL, read and printed. The forms weft takes: `redis://[user:password@]host[:port][/db]`,
 * `rediss://…` (TLS), `unix:///path[?password=…]`, or a comma list of cluster nodes
 * (`redis://:pw@h1:1,redis://:pw@h2:2` or `h1:1,h2:2`). `parseRedisUrl` refuses anything else
 * before a connection is tried; `maskUrl` is the one way a URL reaches output.
 */
import { RedisUrlError } from "./errors.js";

export interface RedisNode {
  host: string;
  port: number;
}

/** What to connect to; `username` and `password` are decoded, absent when not given. */
export type RedisTarget =
  | { kind: "unix"; path: string; db?: number; username?: string; password?: string }
  | {
      kind: "tcp";
      node: RedisNode;
      tls: boolean;
      db?: number;
      username?: string;
      password?: string;
    }
  | { kind: "cluster"; nodes: RedisNode[]; tls: boolean; username?: string; password?: string };

/**
 * The nodes of a comma list. A comma inside a node's password (`redis://u:a,b@h`) or inside a
 * `?password=` value does not start a node: the piece after it is glued back.
 */
export function splitNodes(url: string): string[] {
  const nodes: string[] = [];
  for (const piece of url.split(",")) {
    const previous = nodes[nodes.length - 1];
    const insideUserinfo =
      previous !== undefined &&
      !previous.includes("@") &&
      !piece.includes("://") &&
      piece.includes("@");
    const insidePassword =
      previous !== undefined && !piece.includes("://") && PASSWORD_AT_END.test(previous);
    if (insideUserinfo || insidePassword) nodes[nodes.length - 1] = `${previous},${piece}`;
    else nodes.push(piece);
  }
  return nodes;
}

const PASSWORD_PARAM = /([?&][^=&#]*pass[^=&#]*=)[^&#]*/gi;
const PASSWORD_AT_END = /[?&][^=&#]*pass[^=&#]*=[^&#]*$/i;

/**
 * A URL or cluster list as weft prints it: every password replaced by `***` — the userinfo after
 * the user's name (up to the node's last `@`, so a password may hold any character) and the
 * value of any `?password=` parameter. Works on malformed text too: it never needs to parse.
 */
export function maskUrl(url: string): string {
  return splitNodes(url).map(maskNode).join(",");
}

function maskNode(node: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(node)?.[0] ?? "";
  const rest = node.slice(scheme.length).replace(PASSWORD_PARAM, "$1***");
  const at = rest.lastIndexOf("@");
  if (at === -1) return scheme + rest;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(":");
  // No colon: a bare user name, unless it holds what can only be part of a password.
  const user =
    colon !== -1 ? `${userinfo.slice(0, colon)}:***` : /[/?#=&]/.test(userinfo) ? "***" : userinfo;
  return `${scheme}${user}${rest.slice(at)}`;
}

/** Reads REDIS_URL (or any Redis URL) into what to connect to; a malformed one: RedisUrlError. */
export function parseRedisUrl(url: string): RedisTarget {
  const nodes = splitNodes(url.trim()).map((n) => n.trim());
  const refuse = (why: string): never => {
    throw new RedisUrlError(maskUrl(url), why);
  };
  if (nodes.length > 1) {
    const parsed = nodes.map((n) => parseNode(n.includes("://") ? n : `redis://${n}`, refuse));
    if (parsed.some((n) => n.kind !== "tcp"))
      refuse("a cluster list takes redis:// or rediss:// nodes");
    const tcp = parsed as Extract<RedisTarget, { kind: "tcp" }>[];
    const first = tcp[0]!;
    return {
      kind: "cluster",
      nodes: tcp.map((n) => n.node),
      tls: first.tls,
      ...credentials(first),
    };
  }
  const only = nodes[0] ?? "";
  if (only === "") refuse("it is empty");
  return parseNode(/^[a-z][a-z0-9+.-]*:\/\//i.test(only) ? only : `redis://${only}`, refuse);
}

function parseNode(text: string, refuse: (why: string) => never): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return refuse(unreadable(text));
  }
  const query = parsed.searchParams;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return refuse("a bad %-escape in the user or password");
    }
  };
  const username = decode(parsed.username) || query.get("username") || undefined;
  const password = decode(parsed.password) || query.get("password") || undefined;
  const dbText =
    (parsed.protocol === "unix:" ? "" : parsed.pathname.slice(1)) || (query.get("db") ?? "");
  if (dbText !== "" && !/^\d+$/.test(dbText)) refuse(`the database \`${dbText}\` is not a number`);
  const db = dbText === "" ? undefined : Number(dbText);
  const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  if (parsed.protocol === "unix:") {
    if (parsed.host !== "") refuse("a unix socket URL is unix:///absolute/path");
    const path = decode(parsed.pathname);
    if (path === "" || path === "/") refuse("no socket path");
    return { kind: "unix", path, ...(db === undefined ? {} : { db }), ...auth };
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    refuse(`\`${parsed.protocol}//\` is not a Redis scheme`);
  if (parsed.hostname === "") refuse("no host");
  return {
    kind: "tcp",
    node: { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: Number(parsed.port || 6379) },
    tls: parsed.protocol === "rediss:",
    ...(db === undefined ? {} : { db }),
    ...auth,
  };
}

/** Why `new URL` gave up, from the part after the userinfo only (so no password is quoted). */
function unreadable(text: string): string {
  const afterScheme = text.slice(text.indexOf("://") + 3);
  const authority = afterScheme.slice(afterScheme.lastIndexOf("@") + 1).split(/[/?#]/)[0]!;
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  if (!hostPort?.[1]) return "no host";
  const port = hostPort[2];
  if (port !== undefined && !/^\d*$/.test(port))
    return `the port \`${port.slice(0, 20)}\` is not a number`;
  return "not a URL";
}

function credentials(target: { username?: string; password?: string }) {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
  };
}

/** The user a connection authenticates as, as Redis names it. */
export function userOf(target: RedisTarget): string {
  return target.username ?? "default";
}
