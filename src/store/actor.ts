/** Who is acting, for versions and the audit stream: WEFT_USER or the OS user, and the host. */
import { hostname, userInfo } from "node:os";

export interface Actor {
  user: string;
  host: string;
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
