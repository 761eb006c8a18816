/**
 * `weft acl apply [--rotate]`: creates or updates the Redis ACL users of weft's roles and
 * prints the REDIS_URL of each (see store/acl.ts for what each may do).
 */
import {
  appendAudits,
  applyRoles,
  embeddedPaths,
  ROLES,
  urlAs,
  weftHome,
} from "../../store/index.js";
import { CliError, type CliIo, EXIT } from "../io.js";
import { withStore } from "../store-session.js";

type Format = "text" | "json";

const ROLE_DOES: Record<(typeof ROLES)[number], string> = {
  "weft-admin": "everything, roles included",
  "weft-designer": "saves, imports and deletes workflows, keeps drafts; reads runs",
  "weft-operator": "starts, cancels and retries runs; reads workflows",
  "weft-viewer": "reads workflows, runs and the audit; writes nothing",
  "weft-worker": "claims and completes nodes, writes their logs and outputs",
};

export function aclCommand(
  action: string,
  options: { rotate?: boolean; format: Format },
  io: CliIo,
): Promise<number> {
  if (action !== "apply")
    throw new CliError(`weft acl ${action}: the action is \`apply\` (weft acl apply [--rotate])`);
  const base =
    io.env.REDIS_URL && io.env.REDIS_URL !== ""
      ? io.env.REDIS_URL
      : `unix://${embeddedPaths(weftHome(io.env)).socket}`;
  return withStore(io, async ({ connection, keys, actor, allow }) => {
    allow("change roles");
    const applied = await applyRoles(connection.redis, keys, { rotate: options.rotate === true });
    await appendAudits(
      connection.redis,
      keys,
      [
        {
          who: actor.user,
          host: actor.host,
          time: Date.now(),
          action: "acl",
          message: `roles applied${applied.created.length > 0 ? `, created ${applied.created.join(" ")}` : ""}${applied.rotated ? ", passwords rotated" : ""}`,
        },
      ],
      actor.aclUser,
    );
    const urls = Object.fromEntries(
      ROLES.map((role) => [role, urlAs(base, role, applied.passwords[role])]),
    );
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify(urls, null, 2)}\n`);
      return EXIT.ok;
    }
    for (const role of ROLES)
      io.stdout.write(`REDIS_URL='${urls[role]}'  # ${role}: ${ROLE_DOES[role]}\n`);
    io.stderr.write(
      `${applied.created.length > 0 ? `created ${applied.created.join(", ")}; ` : ""}${applied.rotated ? "new passwords for every role" : "passwords kept (--rotate makes new ones)"}. Give each person or process the URL of its role.\n`,
    );
    return EXIT.ok;
  });
}
