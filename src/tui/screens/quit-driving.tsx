/**
 * Quitting while this terminal drives runs (no worker serves their queues): ask what becomes of
 * them, so a run is never left waiting on a process that is gone. `handBack` (h) hands them to
 * workers (their nodes go back to the queue), `cancelRun` (c) cancels them, Esc or any other key
 * keeps driving.
 */
import { Box, Text } from "ink";
import { wrapLines } from "../components/wrap-lines.js";
import { LAYER, useChoiceKeys, useKeyHandler } from "../key-router.js";
import { useLook } from "../theme.js";

export function QuitDriving(props: {
  runs: readonly string[];
  width: number;
  onHandBack(): void;
  onCancel(): void;
  onStay(): void;
}) {
  const look = useLook();
  useKeyHandler(
    (command) => {
      if (command === "handBack") return props.onHandBack();
      if (command === "cancelRun") return props.onCancel();
      return props.onStay();
    },
    { layer: LAYER.overlay, context: "prompt" },
  );
  const which = props.runs.length === 1 ? `run ${props.runs[0]}` : `${props.runs.length} runs`;
  const key = useChoiceKeys("prompt");
  const one = props.runs.length === 1;
  const text = `This terminal drives ${which} (no worker serves ${one ? "its queue" : "their queues"}). ${key("handBack")} hands ${one ? "it" : "them"} to workers and quits (${one ? "it waits" : "they wait"} for \`weft worker\`) · ${key("cancelRun")} cancels and quits · ${key("back")} or any other key keeps driving`;
  return (
    <Box flexDirection="column">
      {wrapLines(text, props.width).map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one message, by position
          key={i}
          color={look.colour(i === 0 ? "finding.warning" : "text.primary")}
        >
          {line}
        </Text>
      ))}
    </Box>
  );
}
