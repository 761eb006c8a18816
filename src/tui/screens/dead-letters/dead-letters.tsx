/**
 * The dead-letter view: nodes that failed for good, newest first, read again each second while
 * on screen. Enter shows a letter's details, `r` requeues it (its run runs its failed nodes
 * again and the letter leaves the list), `d` purges it once `y` confirms, `o` opens its run.
 * A read that fails (Redis away) leaves the last list on screen and says why.
 */
import { Box, Text } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import type { DeadLetter, LetterList } from "../../../app/runs/dead-letters.js";
import type { RunSession } from "../../../app/runs/run-session.js";
import type { Command } from "../../../config/index.js";
import { Footer } from "../../components/footer.js";
import { wrapLines } from "../../components/wrap-lines.js";
import { keyLabel } from "../../input/index.js";
import { useChoiceKeys, useDispatcher, useKeyHandler } from "../../key-router.js";
import { useLook } from "../../theme.js";
import { useRefresh } from "../../use-refresh.js";
import { TextView } from "../designer/overlays.js";
import {
  cursorIn,
  keepInView,
  letterColumns,
  letterDetails,
  letterHeader,
  letterKey,
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

type Shown = { type: "list" } | { type: "details"; letter: DeadLetter; scroll: number };
/** Asking before purging, over what was shown (`back`: where any key but `y` returns). */
type Mode = Shown | { type: "purge"; letter: DeadLetter; back: Shown };

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
  const [list, setList] = useState<LetterList>();
  const [readError, setReadError] = useState<string>();
  const [selected, setSelected] = useState<{ key?: string; index: number }>({ index: 0 });
  const [mode, setMode] = useState<Mode>({ type: "list" });
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const choiceKey = useChoiceKeys("prompt");
  // Where the keys are read: the purge question, a letter's details, else the list.
  const context = mode.type === "purge" ? "prompt" : mode.type === "details" ? "letter" : "dlq";

  // One read at a time: while Redis is away a read waits for it, and reads must not pile up.
  const reading = useRef(false);
  const read = useCallback(() => {
    if (reading.current) return;
    reading.current = true;
    letters
      .list(LIMIT)
      .then(
        (l) => {
          setList(l);
          setReadError(undefined);
        },
        (cause: Error) => setReadError(`cannot read the dead letters: ${cause.message}`),
      )
      .finally(() => {
        reading.current = false;
      });
  }, [letters]);
  const active = props.active ?? true;
  useRefresh(read, active, REFRESH_MS);

  const rows = list?.letters ?? [];
  const at = cursorIn(rows, selected);
  const current = rows[at];
  const moveTo = (index: number) => {
    const i = Math.max(0, Math.min(index, rows.length - 1));
    const l = rows[i];
    setSelected({ key: l ? letterKey(l) : undefined, index: i });
  };

  const act = (what: Promise<string>, busy: string) => {
    setMessage({ error: false, text: busy });
    what.then(
      (text) => {
        setMessage({ error: false, text });
        read();
      },
      (cause: Error) => setMessage({ error: true, text: cause.message }),
    );
  };
  const requeue = (l: DeadLetter) => {
    setMode({ type: "list" });
    act(letters.requeue(l), `requeueing ${l.node} of run ${l.run}…`);
  };

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

  // The node's log, read once when its details open: often the why behind "exited with code 4".
  const [log, setLog] = useState<{ key: string; text: string | null }>();
  const detailsOf = mode.type === "details" ? mode.letter : undefined;
  useEffect(() => {
    if (!detailsOf) return;
    const key = letterKey(detailsOf);
    props.runs.log(detailsOf.run, detailsOf.node).then(
      (text) => setLog({ key, text }),
      (cause: Error) => setLog({ key, text: `(cannot read the log: ${cause.message})` }),
    );
  }, [detailsOf, props.runs]);

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
  const scrollBy = (by: number) =>
    setMode((m) =>
      m.type === "details"
        ? {
            ...m,
            scroll: Math.max(0, Math.min(m.scroll + by, detailLines.length - detailsVisible)),
          }
        : m,
    );

  const onKey = (command: Command | undefined) => {
    if (mode.type === "purge") {
      const { letter, back } = mode;
      if (command !== "yes") {
        setMode(back);
        return setMessage({ error: false, text: "not purged" });
      }
      setMode({ type: "list" });
      return act(letters.purge(letter), `purging the letter of ${letter.node}…`);
    }
    const letter = mode.type === "details" ? mode.letter : current;
    switch (command) {
      case "help":
        return props.onHelp();
      case "quit":
        return props.onQuit();
      case "back":
        if (mode.type === "details") return setMode({ type: "list" });
        return props.onBack();
      case "runs":
        return props.onRuns();
      case "moveDown":
      case "moveUp": {
        const step = command === "moveDown" ? 1 : -1;
        return mode.type === "details" ? scrollBy(step) : moveTo(at + step);
      }
      case "pageDown":
      case "pageUp": {
        const step = command === "pageDown" ? 1 : -1;
        return mode.type === "details"
          ? scrollBy(step * detailsVisible)
          : moveTo(at + step * listHeight);
      }
      case "inspect":
        if (!letter) return;
        if (mode.type === "details") return props.onOpenRun(letter.run);
        return setMode({ type: "details", letter, scroll: 0 });
      case "openChild":
        return letter ? props.onOpenRun(letter.run) : undefined;
      case "run":
        return letter ? requeue(letter) : setMessage({ error: true, text: "no letter to requeue" });
      case "deleteNode":
        if (!letter) return setMessage({ error: true, text: "no letter to purge" });
        return setMode({ type: "purge", letter, back: mode });
      default:
        return;
    }
  };
  useKeyHandler(onKey, { active, context });

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
