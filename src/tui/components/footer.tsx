/**
 * The last line: the most useful keys of the screen, generated from the keymap; while Redis is
 * unreachable, that instead (every screen has this line, so every screen says it).
 */
import { Text } from "ink";
import { memo } from "react";
import type { Command, Context } from "../../config/index.js";
import { useDispatcher } from "../key-router.js";
import { useRedisNotice } from "../redis-notice.js";
import { useLook } from "../theme.js";

/** Memoised: pass the same `commands` array each time (a module constant) and it costs nothing. */
export const Footer = memo(function Footer({
  commands,
  width,
  context,
}: {
  commands: Command[];
  width: number;
  /** Where the keys are read: the footer shows that context's keys and words. */
  context: Context;
}) {
  const look = useLook();
  const dispatcher = useDispatcher();
  const outage = useRedisNotice();
  if (outage)
    return (
      <Text color={look.colour("status.failed")} wrap="truncate">
        {outage}
      </Text>
    );
  return (
    <Text color={look.colour("ui.footer")} wrap="truncate">
      {dispatcher.footer(commands, width, context)}
    </Text>
  );
});
