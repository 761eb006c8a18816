/** One line of choices, the current one in reverse video, with a hint on the keys after them. */
import { Text } from "ink";
import { useLook } from "../theme.js";

export function ChoiceLine(props: {
  label: string;
  choices: readonly string[];
  cursor: number;
  hint: string;
}) {
  const look = useLook();
  return (
    <Text wrap="truncate">
      {props.label}:{" "}
      {props.choices.map((c, i) => (
        <Text key={c} inverse={i === props.cursor}>
          {` ${c} `}
        </Text>
      ))}
      <Text color={look.colour("text.secondary")}> {props.hint}</Text>
    </Text>
  );
}
