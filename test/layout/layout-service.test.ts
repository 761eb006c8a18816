import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { generateLayoutInput } from "../../bench/canvas-workload.js";
import { layoutWithElk } from "../../src/layout/index.js";
import {
  createLayoutService,
  type LayoutService,
  SupersededLayoutError,
} from "../../src/tui/canvas/layout-service.js";
import { diamond } from "./graphs.js";

const down = { direction: "down", density: "full" } as const;
const services: LayoutService[] = [];
const open = (...args: Parameters<typeof createLayoutService>) => {
  const service = createLayoutService(...args);
  services.push(service);
  return service;
};
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

describe("layout service", () => {
  it("lays out in a real worker thread, exactly as elk does in this thread", async () => {
    const service = open();
    const input = generateLayoutInput(40);
    const fromWorker = await service.layout(input, down);
    expect(service.mode()).toBe("worker");
    expect(fromWorker).toEqual(await layoutWithElk(input, down));
  });

  it("answers from its cache when only properties that do not change the drawing changed", async () => {
    const service = open();
    const first = await service.layout(diamond, down);
    const edited = {
      nodes: diamond.nodes.map((n) => ({ ...n, timeout: "5m" })),
      edges: diamond.edges,
    };
    expect(await service.layout(edited, down)).toBe(first);
  });

  it("shares one layout between identical requests in flight", async () => {
    const service = open();
    const [a, b] = await Promise.all([
      service.layout(diamond, down),
      service.layout(diamond, down),
    ]);
    expect(a).toBe(b);
  });

  it("drops a waiting request when a newer one arrives, and runs the newest", async () => {
    const service = open();
    const running = service.layout(generateLayoutInput(60), down);
    const dropped = service.layout(generateLayoutInput(61), down);
    const newest = service.layout(generateLayoutInput(62), down);
    await expect(dropped).rejects.toBeInstanceOf(SupersededLayoutError);
    expect((await running).boxes).toHaveLength(60);
    expect((await newest).boxes).toHaveLength(62);
  });

  it("falls back to this thread when the worker cannot start", async () => {
    const service = open({ workerEntry: new URL("./no-such-worker.js", import.meta.url) });
    const geometry = await service.layout(diamond, down);
    expect(service.mode()).toBe("in-thread");
    expect(geometry).toEqual(await layoutWithElk(diamond, down));
  });

  it("stops its worker after a quiet spell and starts a new one for the next layout", async () => {
    const service = open({ idleStopMs: 50 });
    await service.layout(diamond, down);
    expect(service.mode()).toBe("worker");
    await new Promise((r) => setTimeout(r, 200));
    expect(service.mode()).toBe("idle");
    const input = generateLayoutInput(30);
    const again = await service.layout(input, down);
    expect(service.mode()).toBe("worker");
    expect(again).toEqual(await layoutWithElk(input, down));
  });

  it("rejects what is pending and what comes after close()", async () => {
    const service = open();
    const pending = service.layout(generateLayoutInput(30), down);
    service.close();
    await expect(pending).rejects.toThrow("closed");
    await expect(service.layout(diamond, down)).rejects.toThrow("closed");
    expect(service.mode()).toBe("closed");
  });

  it("does not keep a process alive after its last layout, even without close()", async () => {
    const serviceUrl = new URL("../../src/tui/canvas/layout-service.ts", import.meta.url).href;
    const script = `
      const { createLayoutService } = await import(${JSON.stringify(serviceUrl)});
      const service = createLayoutService();
      const g = await service.layout(
        { nodes: [{ id: "a", kind: "task", label: "a" }], edges: [] },
        { direction: "down", density: "full" },
      );
      console.log(service.mode(), g.boxes.length);`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe("worker 1");
  });
});
