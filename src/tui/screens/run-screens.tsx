/**
 * The run screens the app stacks over the list or the designer: the start form, the runs list,
 * the monitor and the dead letters.
 */
import type { DesignerSession } from "../../app/designer/session.js";
import type { RunSession } from "../../app/runs/run-session.js";
import type { LayoutService } from "../canvas/layout-service.js";
import { DeadLetters } from "./dead-letters/dead-letters.js";
import { Monitor, type MonitorProps } from "./monitor/monitor.js";
import { RunForm } from "./run-form.js";
import { RunsList } from "./runs-list.js";

/** Run screens open over the list or the designer, which keep their state underneath. */
export type RunScreen =
  | { type: "form"; ref: string }
  | { type: "runs"; workflow?: string }
  | { type: "monitor"; id: string }
  | { type: "dlq" };

export function RunScreens(p: {
  top: RunScreen;
  active: boolean;
  runs: RunSession;
  session: DesignerSession;
  layout: LayoutService;
  width: number;
  height: number;
  onShown?: MonitorProps["onShown"];
  notice?: string;
  onStarted(id: string, note: string): void;
  onOpenRun(id: string): void;
  onRuns(workflow?: string): void;
  onDeadLetters(): void;
  onBack(): void;
  onHelp(): void;
  onQuit(): void;
}) {
  const { top, runs } = p;
  if (top.type === "form")
    return (
      <RunForm
        runs={runs}
        workflowRef={top.ref}
        active={p.active}
        width={p.width}
        height={p.height}
        onStarted={p.onStarted}
        onCancel={p.onBack}
        onHelp={p.onHelp}
        onQuit={p.onQuit}
      />
    );
  if (top.type === "runs")
    return (
      <RunsList
        runs={runs}
        workflow={top.workflow}
        active={p.active}
        width={p.width}
        height={p.height}
        onOpen={p.onOpenRun}
        onDeadLetters={p.onDeadLetters}
        onBack={p.onBack}
        onHelp={p.onHelp}
        onQuit={p.onQuit}
      />
    );
  if (top.type === "dlq")
    return (
      <DeadLetters
        runs={runs}
        active={p.active}
        width={p.width}
        height={p.height}
        onOpenRun={p.onOpenRun}
        onRuns={() => p.onRuns()}
        onBack={p.onBack}
        onHelp={p.onHelp}
        onQuit={p.onQuit}
      />
    );
  return (
    <Monitor
      runs={runs}
      designer={p.session}
      layout={p.layout}
      id={top.id}
      active={p.active}
      width={p.width}
      height={p.height}
      notice={p.notice}
      onBack={p.onBack}
      onOpenRun={p.onOpenRun}
      onRuns={() => p.onRuns()}
      onDeadLetters={p.onDeadLetters}
      onHelp={p.onHelp}
      onQuit={p.onQuit}
      onShown={p.onShown}
    />
  );
}
