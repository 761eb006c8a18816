/**
 * The dead-letter view: nodes that failed for good, newest first, read again each second while
 * on screen. Enter shows a letter's details, `r` requeues it (its run runs its failed nodes
 * again and the letter leaves the list), `d` purges it once `y` confirms, `o` opens its run.
 * A read that fails (Redis away) leaves the last list on screen and says why. It draws the state
 * of its reducer (src/app/runs/letters-screen.ts) and runs its effects and its timer.
 */
import { Box, Text } from "ink";
import { useCallback, useRef } from "react";
import {
  cursorIn,
  initialLettersState,
  type LettersEffect,
  letterKey,
  lettersContext,
  reduceLetters,
} from "../../../app/runs/letters-screen.js";
import type { RunSession } from "../../../app/runs/run-session.js";
import type { Command } from "../../../config/index.js";
import { Footer } from "../../components/footer.js";
import { wrapLines } from "../../components/wrap-lines.js";
import { keyLabel } from "../../input/index.js";
import { useChoiceKeys, useDispatcher, useKeyHandler } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { useRefresh } from "../../use-refresh.js";
import { settle, useScreen } from "../../use-screen.js";
import { TextView } from "../designer/overlays.js";
import {
  keepInView,
  letterColumns,
  letterDetails,
  letterHeader,
  letterRow,
  shortRun,
} from "./letter-view.js";

const REFRESH_MS = 1000;
/** The newest this many are listed; the title says how many there are in all. */
const LIMIT = 500;

const LIST_FOOTER: Command[] = [
  "inspect",
  "run",
  "deleteNode",
  "openChild",
  "help",
  "back",
  "quit",
];
const DETAILS_FOOTER: Command[] = ["inspect", "run", "deleteNode", "help", "back", "quit"];

export interface DeadLettersProps {
  runs: RunSession;
  width: number;
  height: number;
  active?: boolean;
  onOpenRun(id: string): void;
  onRuns(): void;
  onBack(): void;
  onHelp(): void;
  onQuit(): void;
}

export function DeadLetters(props: DeadLettersProps) {
  const look = useLook();
  const dispatcher = useDispatcher();
  const letters = props.runs.deadLetters;
  const screen = useScreen(reduceLetters, initialLettersState);
  const { state, dispatch } = screen;
  const { list, readError, mode, message, log } = state;
  const choiceKey = useChoiceKeys("prompt");
  const context = lettersContext(state);

  // One read at a time: while Redis is away a read waits for it, and reads must not pile up.
  const reading = useRef(false);
  const read = useCallback(() => {
    if (reading.current) return;
    reading.current = true;
    letters
      .list(LIMIT)
      .then(
        (l) => dispatch({ type: "listed", list: l }),
        (cause: Error) => dispatch({ type: "listFailed", message: cause.message }),
      )
      .finally(() => {
        reading.current = false;
      });
  }, [letters, dispatch]);
  const active = props.active ?? true;
  useRefresh(read, active, REFRESH_MS);

  const rows = list?.letters ?? [];
  const at = cursorIn(rows, state.selected);

  const purgeLines =
    mode.type === "purge"
      ? wrapLines(
          `Purge the dead letter of ${mode.letter.node} (run ${shortRun(mode.letter.run)})? It leaves the list for good; the run stays as it is. ${choiceKey("yes")} purges, any other key keeps it.`,
          props.width,
        )
      : [];
  const statusLines = Math.max(1, purgeLines.length);
  const listHeight = Math.max(1, props.height - 3 - statusLines);
  const detailsHeight = listHeight + 1;

  const top = useRef(0);
  top.current = keepInView(top.current, at, listHeight, rows.length);

  // The keys as the details name them: the letter key where there is one (`r`, not F5).
  const keyOf = (command: Command) => keyLabel(dispatcher.keysFor(command, "letter").at(-1) ?? "");
  const shown = mode.type === "purge" ? mode.back : mode;
  const detailLines =
    shown.type === "details"
      ? letterDetails(
          shown.letter,
          Date.now(),
          props.width - 2,
          {
            requeue: keyOf("run"),
            purge: keyOf("deleteNode"),
            open: keyLabel(dispatcher.keysFor("inspect", "letter")[0] ?? ""),
          },
          {
            gone: list !== undefined && !rows.some((l) => letterKey(l) === letterKey(shown.letter)),
            log: log?.key === letterKey(shown.letter) ? log.text : undefined,
          },
        )
      : [];
  const detailsVisible = Math.max(1, detailsHeight - 3);

  const run = (effect: LettersEffect) => {
    switch (effect.type) {
      case "help":
        return props.onHelp();
      case "quit":
        return props.onQuit();
      case "back":
        return props.onBack();
      case "runs":
        return props.onRuns();
      case "openRun":
        return props.onOpenRun(effect.id);
      case "requeue":
        return settle(dispatch, letters.requeue(effect.letter));
      case "purge":
        return settle(dispatch, letters.purge(effect.letter));
      case "reload":
        return read();
      case "readLog": {
        // The node's log, read once when its details open: often the why behind "exited 4".
        const key = letterKey(effect.letter);
        return void props.runs.log(effect.letter.run, effect.letter.node).then(
          (text) => dispatch({ type: "logRead", key, text }),
          (cause: Error) =>
            dispatch({ type: "logRead", key, text: `(cannot read the log: ${cause.message})` }),
        );
      }
    }
  };
  screen.provide({ listHeight, detailsVisible, detailLineCount: detailLines.length }, run);
  useKeyHandler((command) => dispatch({ type: "command", command }), { active, context });

  const now = Date.now();
  const columns = letterColumns(props.width);
  const total = list?.total ?? 0;
  const title = `Dead letters · ${list ? `${total} · newest first${total > rows.length ? ` (the newest ${rows.length})` : ""}` : "reading…"}`;
  const status = readError ?? message?.text;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold color={look.colour("text.accent")} wrap="truncate">
        {title}
      </Text>
      {shown.type === "details" ? (
        <TextView
          title={`Dead letter · ${shown.letter.node} of run ${shown.letter.run}`}
          lines={detailLines}
          scroll={shown.scroll}
          height={detailsHeight}
        />
      ) : (
        <>
          <Text color={look.colour("text.secondary")} wrap="truncate">
            {letterHeader(columns)}
          </Text>
          <Box flexDirection="column" height={listHeight}>
            {list === undefined ? <Text>reading dead letters…</Text> : null}
            {list && rows.length === 0 ? (
              <Text color={look.colour("text.secondary")} wrap="truncate">
                No dead letters: no node has failed for good.
              </Text>
            ) : null}
            {rows.slice(top.current, top.current + listHeight).map((l, i) => (
              <Text key={letterKey(l)} inverse={top.current + i === at} wrap="truncate">
                {letterRow(l, columns, now)}
              </Text>
            ))}
          </Box>
        </>
      )}
      {mode.type === "purge" ? (
        purgeLines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one question, by position
          <Text key={i} color={look.colour("finding.warning")} wrap="truncate">
            {line}
          </Text>
        ))
      ) : (
        <Text
          color={look.colour(readError || message?.error ? "finding.error" : "text.secondary")}
          wrap="truncate"
        >
          {status ?? " "}
        </Text>
      )}
      <Footer
        commands={shown.type === "list" ? LIST_FOOTER : DETAILS_FOOTER}
        context={context}
        width={props.width}
      />
    </Box>
  );
}
