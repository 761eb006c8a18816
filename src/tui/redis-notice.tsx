/**
 * While the connection to Redis is down, every screen's last line says so: `Redis unreachable
 * at <URL>, retrying…`. The screens keep their state (a draft stays a draft); the line goes
 * away when Redis is back.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/** What the TUI needs of a connection: where it goes (password masked) and its state changes. */
export interface RedisLink {
  url: string;
  state(): "ready" | "reconnecting";
  onState(listener: (state: "ready" | "reconnecting") => void): () => void;
}

const RedisNoticeContext = createContext<string | undefined>(undefined);

export function redisNotice(url: string): string {
  return `Redis unreachable at ${url}, retrying…`;
}

export function RedisNoticeProvider({
  link,
  children,
}: {
  link: RedisLink | undefined;
  children: ReactNode;
}) {
  const [down, setDown] = useState(link?.state() === "reconnecting");
  useEffect(() => {
    if (!link) return;
    setDown(link.state() === "reconnecting");
    return link.onState((state) => setDown(state === "reconnecting"));
  }, [link]);
  return (
    <RedisNoticeContext.Provider value={down && link ? redisNotice(link.url) : undefined}>
      {children}
    </RedisNoticeContext.Provider>
  );
}

/** The outage line to show instead of the footer's keys, or undefined while connected. */
export function useRedisNotice(): string | undefined {
  return useContext(RedisNoticeContext);
}
