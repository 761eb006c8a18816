import { describe, expect, it } from "vitest";
import {
  boxOf,
  type CellGeometry,
  centreOn,
  layoutWithElk,
  minimap,
  nearestInDirection,
  positionText,
  scrollToShow,
} from "../../src/layout/index.js";
import { diamond } from "./graphs.js";

const twoCorners: CellGeometry = {
  width: 40,
  height: 20,
  options: { direction: "down", density: "full" },
  boxes: [
    { id: "a", kind: "task", label: "a", x: 0, y: 0, width: 8, height: 3 },
    { id: "b", kind: "task", label: "b", x: 30, y: 15, width: 8, height: 3 },
  ],
  edges: [],
};

describe("nearestInDirection", () => {
  it("moves around a diamond the way the picture suggests", async () => {
    // start above check; split and wait side by side below it; end below them.
    const g = await layoutWithElk(diamond, { direction: "down", density: "full" });
    const go = (from: string, direction: "up" | "down" | "left" | "right") =>
      nearestInDirection(g, from, direction);
    expect(go("start", "down")).toBe("check");
    expect(go("check", "up")).toBe("start");
    expect(go("split", "right")).toBe("wait");
    expect(go("wait", "left")).toBe("split");
    expect(go("wait", "down")).toBe("end");
    expect(go("end", "up")).toBe(go("check", "down"));
    expect(["split", "wait"]).toContain(go("end", "up"));
    expect(go("split", "left")).toBeUndefined();
    expect(go("end", "down")).toBeUndefined();
    expect(go("nobody", "down")).toBeUndefined();
  });

  it("prefers the node in line over a nearer one off to the side", () => {
    const g: CellGeometry = {
      ...twoCorners,
      boxes: [
        { id: "here", kind: "task", label: "", x: 0, y: 0, width: 7, height: 3 },
        { id: "diagonal", kind: "task", label: "", x: 10, y: 5, width: 7, height: 3 },
        { id: "in-line", kind: "task", label: "", x: 1, y: 12, width: 7, height: 3 },
      ],
    };
    expect(nearestInDirection(g, "here", "down")).toBe("in-line");
    expect(nearestInDirection(g, "here", "right")).toBe("diagonal");
  });
});

describe("scrolling", () => {
  it("finds a box by id", () => {
    expect(boxOf(twoCorners, "b")).toMatchObject({ x: 30, y: 15 });
    expect(boxOf(twoCorners, "zz")).toBeUndefined();
  });

  it("scrolls no more than needed to show a box", () => {
    const viewport = { x: 0, y: 0, width: 20, height: 10 };
    expect(scrollToShow(twoCorners, "a", viewport)).toEqual({ x: 0, y: 0 });
    expect(scrollToShow(twoCorners, "b", viewport)).toEqual({ x: 18, y: 8 });
    expect(scrollToShow(twoCorners, "a", { ...viewport, x: 18, y: 8 })).toEqual({ x: 0, y: 0 });
  });

  it("centres on a box but never scrolls past the canvas", () => {
    expect(centreOn(twoCorners, "b", { width: 10, height: 6 })).toEqual({ x: 29, y: 14 });
    expect(centreOn(twoCorners, "b", { width: 30, height: 10 })).toEqual({ x: 10, y: 10 });
    expect(centreOn(twoCorners, "a", { width: 30, height: 10 })).toEqual({ x: 0, y: 0 });
    expect(centreOn(twoCorners, "a", { width: 100, height: 100 })).toEqual({ x: 0, y: 0 });
  });
});

describe("overview", () => {
  it("draws a minimap with the viewport shaded", () => {
    const viewport = { x: 0, y: 0, width: 20, height: 10 };
    expect(minimap(twoCorners, viewport, { width: 10, height: 5 })).toEqual([
      "██░░░     ",
      "░░░░░     ",
      "░░░░░     ",
      "       ■■■",
      "       ■■■",
    ]);
    expect(minimap(twoCorners, viewport, { width: 10, height: 5 }, "ascii")).toEqual([
      "##...     ",
      ".....     ",
      ".....     ",
      "       ooo",
      "       ooo",
    ]);
  });

  it("says which columns and rows are on screen", () => {
    expect(positionText(twoCorners, { x: 0, y: 0, width: 20, height: 10 })).toBe(
      "x 0-20/40 · y 0-10/20",
    );
    expect(positionText(twoCorners, { x: 30, y: 15, width: 20, height: 10 })).toBe(
      "x 30-40/40 · y 15-20/20",
    );
  });
});
