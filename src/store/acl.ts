/**
 * Roles enforced by Redis itself: one ACL user per role, each with only the commands and key
 * patterns it needs (../shared/DESIGN.md section 6). weft also checks a role before acting
 * (`mayDo`), so a refused action writes nothing and says why; the ACL rules are what hold when
 * someone (or a task) talks to Redis directly.
 *
 * The audit is append-only for every role but admin: a role may add fields to its own audit
 * hash with HSETNX, which can neither overwrite nor delete, and has no other command on it.
 * The worker has no audit at all. Passwords live in `{acl}:secrets`, which only admin reads.
 */
import { randomBytes } from "node:crypto";
import type { RedisClient } from "./connect.js";
import type { StoreKeys } from "./keys.js";

export const ROLES = [
  "weft-admin",
  "weft-designer",
  "weft-operator",
  "weft-viewer",
  "weft-worker",
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (user: string | undefined): user is Role =>
  (ROLES as readonly string[]).includes(user ?? "");

/** What weft does that a role may or may not do, worded for "X may not <action>". */
export type Action =
  | "save workflows"
  | "delete workflows"
  | "keep drafts"
  | "start runs"
  | "cancel runs"
  | "retry runs"
  | "work on runs"
  | "change roles";

const MAY: Record<Role, readonly Action[]> = {
  "weft-admin": [
    "save workflows",
    "delete workflows",
    "keep drafts",
    "start runs",
    "cancel runs",
    "retry runs",
    "work on runs",
    "change roles",
  ],
  "weft-designer": ["save workflows", "delete workflows", "keep drafts"],
  "weft-operator": ["start runs", "cancel runs", "retry runs", "work on runs"],
  "weft-viewer": [],
  "weft-worker": ["work on runs"],
};

/**
 * Whether `user` (the Redis ACL user weft is connected as) may do `action`. A user that is not
 * one of weft's roles (the `default` user, your own ACL users) is left to Redis to judge.
 */
export const mayDo = (user: string | undefined, action: Action): boolean =>
  !isRole(user) || MAY[user].includes(action);

/** Why `user` may not do `action` (`not allowed: weft-operator may not save workflows`), or undefined. */
export const refusal = (user: string | undefined, action: Action): string | undefined =>
  mayDo(user, action) ? undefined : `not allowed: ${user} may not ${action}`;

/** Redis glob patterns match `{` and `}` literally; `*`, `?`, `[` and `\` need escaping. */
const glob = (text: string): string => text.replace(/[*?[\]\\]/g, "\\$&");

/** The ACL rules of a role (after `reset`), for the key prefix of `keys`. */
export function roleRules(role: Role, keys: StoreKeys): string[] {
  const p = glob(keys.prefix);
  const registry = `${p}:{reg}`;
  const workflows = [`${registry}:wf:*`, `${registry}:workflows`];
  // The task cache goes with runs: whoever runs tasks (worker, an operator's `run --wait`) keeps it.
  const runs = [
    `${p}:{run:*`,
    `${p}:{runs}:*`,
    `${p}:{sched}:*`,
    `${p}:{cache:*`,
    `${p}:{dlq}:*`,
    `${p}:{gate:*`,
  ];
  const layout = [`${p}:{layout}:*`];
  const drafts = [`${registry}:draft:*`];
  const audits = [`${glob(keys.audit)}*`];
  const readable = [...workflows, ...runs, ...layout, ...audits];
  const base = [
    "on",
    "resetchannels",
    "+@all",
    "-@dangerous",
    "+info",
    "+acl|whoami",
    "+cluster|slots",
    "+cluster|shards",
    "+cluster|nodes",
    "+cluster|info",
  ];
  if (role === "weft-admin") return ["on", "~*", "&*", "+@all"];
  const writes: Record<Exclude<Role, "weft-admin">, string[]> = {
    "weft-designer": [...workflows, ...drafts, ...layout],
    "weft-operator": [...runs, ...layout],
    "weft-viewer": [],
    "weft-worker": runs,
  };
  const rules = [
    ...base,
    ...readable.map((k) => `%R~${k}`),
    ...writes[role].map((k) => `~${k}`),
    // Scripts: Redis checks the keys a script names for EVALSHA as a whole and then each
    // command inside it against the rules above, so this grants running scripts, nothing more.
    `(~${p}:* +evalsha +eval +evalsha_ro +eval_ro +script|load)`,
  ];
  if (role === "weft-designer" || role === "weft-operator")
    rules.push(`(~${glob(keys.auditBy(role))} +hsetnx)`);
  return rules;
}

export interface AppliedRoles {
  /** Role -> password (kept from before unless rotated). */
  passwords: Record<Role, string>;
  created: Role[];
  rotated: boolean;
}

const newPassword = () => randomBytes(24).toString("base64url");

/** Creates or updates the five ACL users; passwords are kept unless `rotate`. */
export async function applyRoles(
  redis: RedisClient,
  keys: StoreKeys,
  options: { rotate?: boolean } = {},
): Promise<AppliedRoles> {
  const secrets = keys.aclSecrets;
  const kept = await redis.hgetall(secrets);
  const existing = new Set(((await redis.call("ACL", "USERS")) as string[]) ?? []);
  const passwords = {} as Record<Role, string>;
  const created: Role[] = [];
  for (const role of ROLES) {
    const known = kept[role];
    const password = !options.rotate && known && existing.has(role) ? known : newPassword();
    passwords[role] = password;
    if (!existing.has(role)) created.push(role);
    await redis.call("ACL", "SETUSER", role, "reset", `>${password}`, ...roleRules(role, keys));
  }
  await redis.hset(secrets, passwords);
  return { passwords, created, rotated: options.rotate === true };
}

/** The ACL user this connection acts as, or undefined where Redis will not say. */
export async function whoAmI(redis: RedisClient): Promise<string | undefined> {
  try {
    return String(await redis.call("ACL", "WHOAMI"));
  } catch {
    return undefined;
  }
}

/** `url` with its user and password replaced (a comma list: every node). */
export function urlAs(url: string, user: string, password: string): string {
  return url
    .split(",")
    .map((one) => {
      const u = new URL(one.trim().includes("://") ? one.trim() : `redis://${one.trim()}`);
      u.searchParams.delete("password");
      u.searchParams.delete("username");
      if (u.protocol === "unix:") {
        // A socket path has no host to put a user in front of: the query carries them.
        u.searchParams.set("username", user);
        u.searchParams.set("password", password);
      } else {
        u.username = user;
        u.password = password;
      }
      return u.toString();
    })
    .join(",");
}
