/**
 * The monitor's data: the run read once, then moved on by its event stream, drawn in batches
 * of at most one frame per 1/30 s however fast events arrive; and the details of one node.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { NodeDetails, RunSession, RunView } from "../../../app/runs/run-session.js";
import { applyEvents, type LiveRun, liveRun } from "../../../app/runs/run-state.js";
import { FINAL_RUN } from "../../../model/run-model.js";

/** At most one redraw per frame: 30 a second. */
const FRAME_MS = 1000 / 30;

export interface LiveRunState {
  view: RunView | undefined;
  /** The nodes' states now, as of this render (each batch of changes renders anew). */
  live: LiveRun | undefined;
  failure: string | undefined;
  running: boolean;
  /** No queue is waiting for a worker any more (this terminal drives the run). */
  served(): void;
}

export function useLiveRun(
  runs: RunSession,
  id: string,
  options: {
    /** Hidden under another screen: the clock stops. */
    active: boolean;
    /** After a frame that shows node changes: the changes' event times. */
    onShown?: (eventTimes: number[]) => void;
  },
): LiveRunState {
  const [view, setView] = useState<RunView>();
  const [failure, setFailure] = useState<string>();
  const live = useRef<LiveRun | undefined>(undefined);
  const [frame, setFrame] = useState(0);
  const shown = useRef<number[]>([]);

  // Redraws, batched: the first change after a quiet spell draws at once, later ones wait for
  // the next frame slot, so a flood of events costs 30 frames a second, not one per event.
  const lastFrame = useRef(0);
  const frameTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  const redraw = useCallback(() => {
    if (frameTimer.current) return;
    const wait = Math.max(0, lastFrame.current + FRAME_MS - Date.now());
    frameTimer.current = setTimeout(() => {
      frameTimer.current = undefined;
      lastFrame.current = Date.now();
      setFrame((f) => f + 1);
    }, wait);
  }, []);
  useEffect(() => () => clearTimeout(frameTimer.current), []);

  // Load the run, then follow its events from the last one the read included.
  const measured = options.onShown !== undefined;
  useEffect(() => {
    let stopped = false;
    let stop = () => {};
    const reread = async () => {
      const record = await runs.engine.status(id);
      if (stopped || !live.current) return;
      const changedAt = live.current.changedAt;
      live.current = liveRun(record.fields, record.nodes);
      live.current.changedAt = changedAt;
      setView((v) => (v ? { ...v, fields: record.fields, unserved: [] } : v));
      redraw();
    };
    runs.open(id).then(
      (opened) => {
        if (stopped) return;
        live.current = liveRun(opened.fields, opened.nodes);
        setView(opened);
        stop = runs.follow(
          id,
          opened.lastEvent,
          (events) => {
            if (!live.current) return;
            const { reread: again } = applyEvents(live.current, events);
            if (measured)
              for (const e of events) if (e.node !== "") shown.current.push(Number(e.t));
            if (again) void reread().catch(() => undefined);
            redraw();
          },
          (error) => setFailure(`lost the run's event stream: ${error.message}`),
        );
      },
      (cause: Error) => setFailure(cause.message),
    );
    return () => {
      stopped = true;
      stop();
    };
  }, [id, runs, redraw, measured]);

  // The clock: spinners and elapsed times move while anything runs.
  const running = view !== undefined && !FINAL_RUN.has(live.current?.status ?? "");
  useEffect(() => {
    if (!running || !options.active) return;
    // Only when nothing else drew lately: a tick must not hold up a frame with real changes.
    const timer = setInterval(() => {
      if (Date.now() - lastFrame.current >= 200) redraw();
    }, 250);
    return () => clearInterval(timer);
  }, [running, options.active, redraw]);

  // Tell whoever measures which changes this frame shows: a layout effect runs in the commit
  // that wrote the frame (Ink writes it as the commit ends, unless its frame limit holds it back).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each frame
  useLayoutEffect(() => {
    const times = shown.current.splice(0);
    if (times.length > 0) options.onShown?.(times);
  }, [frame]);

  const served = useCallback(() => setView((v) => (v ? { ...v, unserved: [] } : v)), []);
  return { view, live: live.current, failure, running, served };
}

/**
 * The details of `node`, read again when its state (`stateKey`) changes; when following, its
 * log alone is read again each second (history and output change only with the state).
 */
export function useNodeDetails(
  runs: RunSession,
  id: string,
  node: string | undefined,
  stateKey: string,
  following: boolean,
  onError: (message: string) => void,
): NodeDetails | undefined {
  const [details, setDetails] = useState<NodeDetails>();
  const report = useRef(onError);
  report.current = onError;
  // biome-ignore lint/correctness/useExhaustiveDependencies: stateKey stands for the node's state
  useEffect(() => {
    if (!node) return setDetails(undefined);
    let cancelled = false;
    const failed = (cause: Error) => report.current(cause.message);
    runs.details(id, node).then((d) => {
      if (!cancelled) setDetails(d);
    }, failed);
    const readLog = () =>
      runs.log(id, node).then((log) => {
        if (!cancelled) setDetails((d) => (d && d.node === node ? { ...d, log: log ?? "" } : d));
      }, failed);
    const timer = following ? setInterval(readLog, 1000) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [node, stateKey, following, id, runs]);
  return details;
}
