/** A bordered panel with a title line; the border shows focus by shape (double) and colour. */
import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { useLook } from "../theme.js";

export function Panel(props: {
  title: string;
  focused?: boolean;
  width?: number | string;
  height?: number;
  flexGrow?: number;
  /**
   * Cut off what does not fit (the default). Ink measures and slices every line drawn inside a
   * clipped box on every frame; a panel whose lines are already cut to size can turn it off.
   */
  clip?: boolean;
  children?: ReactNode;
}) {
  const look = useLook();
  const style = look.glyphs === "ascii" ? "classic" : props.focused ? "double" : "single";
  return (
    <Box
      flexDirection="column"
      borderStyle={style}
      borderColor={look.colour(props.focused ? "ui.focusBorder" : "ui.border")}
      width={props.width}
      height={props.height}
      flexGrow={props.flexGrow}
      overflow={props.clip === false ? "visible" : "hidden"}
    >
      <Text bold color={look.colour("text.accent")} wrap="truncate">
        {props.focused ? `» ${props.title}` : props.title}
      </Text>
      {props.children}
    </Box>
  );
}
