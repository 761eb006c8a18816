/**
 * Quitting while this terminal drives runs (no worker serves their queues): ask what becomes of
 * them, so a run is never left waiting on a process that is gone. `h` hands them to workers
 * (their nodes go back to the queue), `c` cancels them, Esc or any other key keeps driving.
 */
import { Box, Text } from "ink";
import { wrapLines } from "../components/wrap-lines.js";
import { LAYER, useKeyHandler } from "../key-router.js";
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
    (_command, press) => {
      if (press.name === "h") return props.onHandBack();
      if (press.name === "c") return props.onCancel();
      return props.onStay();
    },
    { layer: LAYER.overlay },
  );
  const which = props.runs.length === 1 ? `run ${props.runs[0]}` : `${props.runs.length} runs`;
  const text = `This terminal drives ${which} (no worker serves ${props.runs.length === 1 ? "its queue" : "their queues"}). h hands ${props.runs.length === 1 ? "it" : "them"} to workers and quits (${props.runs.length === 1 ? "it waits" : "they wait"} for \`weft worker\`) · c cancels and quits · Esc keeps driving`;
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
