/** What opens over the canvas: the version list and scrollable text (diffs, conflicts). */
import { Box, Text } from "ink";
import type { VersionInfo } from "../../../store/index.js";
import { Panel } from "../../components/panel.js";
import { useKeyOf } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { ago } from "../workflow-list.js";

export function VersionList(props: {
  name: string;
  versions: VersionInfo[];
  cursor: number;
  height: number;
}) {
  const look = useLook();
  const keyOf = useKeyOf();
  const visible = Math.max(1, props.height - 4);
  const top = Math.max(0, Math.min(props.cursor - visible + 1, props.versions.length - visible));
  const now = Date.now();
  return (
    <Panel
      title={`Versions of ${props.name} · ${keyOf("inspect", "versions")} opens read-only · ${keyOf("diffVersion", "versions")} diffs with current · ${keyOf("back", "versions")} closes`}
      focused
      height={props.height}
    >
      {props.versions.slice(top, top + visible).map((v, i) => (
        <Text key={v.version} inverse={top + i === props.cursor} wrap="truncate">
          {`v${v.version}`.padEnd(5)} {v.hash.slice(0, 10)} {ago(v.time, now).padEnd(8)}{" "}
          {v.author.padEnd(10)} {v.nodes} nodes{" "}
          <Text color={look.colour("text.secondary")}>{v.message}</Text>
        </Text>
      ))}
    </Panel>
  );
}

export function TextView(props: {
  title: string;
  lines: string[];
  scroll: number;
  height: number;
}) {
  const keyOf = useKeyOf();
  const visible = Math.max(1, props.height - 3);
  const scroll = `${keyOf("moveUp", "viewer")}${keyOf("moveDown", "viewer")}`;
  return (
    <Panel
      title={`${props.title} · ${scroll} scroll · ${keyOf("back", "viewer")} closes`}
      focused
      height={props.height}
    >
      <Box flexDirection="column">
        {props.lines.slice(props.scroll, props.scroll + visible).map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, by position
          <Text key={props.scroll + i} wrap="truncate">
            {line === "" ? " " : line}
          </Text>
        ))}
      </Box>
    </Panel>
  );
}
