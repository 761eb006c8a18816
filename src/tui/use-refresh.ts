/** Screens that read again and again while they are on show. */
import { useEffect } from "react";

/** Calls `read` now and every `ms` while `active`; a screen under another one stops reading. */
export function useRefresh(read: () => void, active: boolean, ms: number): void {
  useEffect(() => {
    if (!active) return;
    read();
    const timer = setInterval(read, ms);
    return () => clearInterval(timer);
  }, [read, active, ms]);
}
