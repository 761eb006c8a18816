/** Who is acting, for versions and the audit stream: WEFT_USER or the OS user, and the host. */
import { hostname, userInfo } from "node:os";

export interface Actor {
  /** The display name: WEFT_USER or the OS user (free text, escaped wherever it is shown). */
  user: string;
  host: string;
  /** The Redis ACL user weft is connected as, when it is one of weft's roles (see acl.ts). */
  aclUser?: string;
}

export function currentActor(env: Record<string, string | undefined>): Actor {
  let user = env.WEFT_USER;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = env.USER ?? "unknown";
    }
  }
  return { user, host: hostname() };
}
