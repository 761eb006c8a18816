/**
 * Issue 13's binding evidence for the vim keymap (the checks are in ./evidence.tsx; one file
 * per keymap so the two run side by side).
 */
import { vi } from "vitest";
import { describeKeymap } from "./evidence.js";

// Before Ink's chalk loads: reverse video (the only mark of many cursors) stays in the frames.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

describeKeymap("vim");
