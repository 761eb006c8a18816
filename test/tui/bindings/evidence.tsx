/**
 * Issue 13's evidence that the keymaps and the app agree, on the real app (ink-testing-library,
 * a real Redis, the layout worker and an in-process worker), for the default and the vim keymap:
 *
 * 1. every binding is reachable: the app is brought into each context, and every key of every
 *    binding there is pressed and acts (the frame changes, the app exits, or the store changes
 *    as stated), each from its context's start state or one where the command visibly acts
 *    (for the vim keymap, the keys the default keymap does not bind to the same command there);
 * 2. every key the app answers is bound: in each context, every printable character (outside
 *    typing contexts) and every named key the keymap does not bind there changes neither the
 *    frame nor the store; the questions that answer "any other key" do what they say instead;
 * 3. no screen reads a raw key: only src/tui/input and the key router do.
 *
 * Frames keep their SGR codes (FORCE_COLOR), so a cursor drawn only in reverse video counts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONTEXTS,
  type Command,
  type Context,
  type Keymap,
  loadKeymap,
} from "../../../src/config/index.js";
import {
  canonicalKey,
  createDispatcher,
  type Dispatcher,
  keyName,
} from "../../../src/tui/input/index.js";

import { bytesOf, PROBES, parse, QUICK_ESCAPE, unboundKeys } from "./keys.js";
import { type Effect, SPECS, UNREACHABLE } from "./specs.js";
import type { State, Step } from "./states.js";
import {
  holds,
  KEYMAPS,
  makeWorld,
  norm,
  openApp,
  plain,
  poll,
  quiet,
  type Running,
  root,
  sleep,
  storeState,
  type World,
  waitFor,
} from "./world.js";

// ---------------------------------------------------------------------------------------------
// One app per context, reopened only when a key left it elsewhere.

class Bench {
  world?: World;
  app?: Running;
  state?: State;
  baseline = "";
  /** The app shows `state` as it was opened: the next test may start from it. */
  clean = false;

  constructor(
    readonly keymap: Keymap,
    readonly dispatcher: Dispatcher,
  ) {}

  async enter(state: State): Promise<Running> {
    const app = this.app;
    if (
      app &&
      this.state === state &&
      this.clean &&
      !app.exited() &&
      norm(app.frame()) === this.baseline
    )
      return app;
    await app?.close();
    await state.prepare?.(this.world!);
    const opened = openApp(this.keymap, this.world!, state.start(this.world!), state.size);
    this.app = opened;
    this.state = state;
    await waitFor(opened, state.ready);
    await quiet(opened, 60);
    await this.run(state.steps);
    await quiet(opened, 80);
    this.baseline = norm(opened.frame());
    this.clean = true;
    return opened;
  }

  /** One key, then the frame it draws. */
  async stroke(bytes: string): Promise<void> {
    const app = this.app!;
    const before = app.frame();
    app.write(bytes);
    await poll(() => app.frame() !== before, 600);
    await quiet(app, 15);
  }

  async run(steps: readonly Step[]): Promise<void> {
    const app = this.app!;
    for (const step of steps) {
      if ("cmd" in step) {
        const first = this.dispatcher.keysFor(step.cmd, step.in)[0];
        if (!first) throw new Error(`no key for ${step.cmd} in ${step.in}`);
        const bytes = first === "escape" ? QUICK_ESCAPE : bytesOf(first);
        for (let i = 0; i < (step.times ?? 1); i++) await this.stroke(bytes);
      } else if ("text" in step) await this.stroke(step.text);
      else if ("until" in step) await waitFor(app, step.until);
      else if ("select" in step) {
        const shown = new RegExp(`Properties · Node ${step.select}\\b`);
        const next = bytesOf(this.dispatcher.keysFor("nextNode", "canvas")[0]!);
        for (let i = 0; !shown.test(plain(app.frame())); i++) {
          if (i > 12) throw new Error(`cannot select ${step.select}`);
          await this.stroke(next);
        }
      } else await step.act(app, this.world!);
    }
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.world?.stop();
  }
}

async function expectEffect(bench: Bench, effect: Effect | undefined, before: string) {
  const app = bench.app!;
  if (!effect) {
    const changed = await poll(() => norm(app.frame()) !== before, 3000);
    expect(changed, `nothing changed on screen:\n${plain(app.frame())}`).toBe(true);
    return;
  }
  if (effect.shows) {
    const check = effect.shows;
    const shown = await poll(() => holds(check, app.frame()), 5000);
    expect(shown, `never showed ${String(check)}:\n${plain(app.frame())}`).toBe(true);
  }
  if (effect.exits)
    expect(await poll(() => app.exited(), 3000), `still running:\n${plain(app.frame())}`).toBe(
      true,
    );
  if (effect.store) {
    const { what, holds: ok } = effect.store;
    expect(await poll(() => ok(bench.world!, app), 5000), what).toBe(true);
  }
}

type Case = { command: Command; key: string };

/** Each key of each binding in `context`, but those `proven` already holds as `command key`. */
function casesIn(dispatcher: Dispatcher, context: Context, proven: Set<string>): Case[] {
  const seen = new Set<string>();
  return dispatcher.bindingsIn(context).flatMap((b) =>
    b.keys.flatMap((k) => {
      const id = `${b.command} ${k}`;
      if (seen.has(id) || proven.has(id) || UNREACHABLE[`${context} ${b.command}`]) return [];
      seen.add(id);
      return [{ command: b.command, key: k }];
    }),
  );
}

// ---------------------------------------------------------------------------------------------

/** The keymaps' notation against the parser, and screens against raw keys. */
export function describeStatic(): void {
  describe("key notation and terminal bytes", () => {
    const everyKey = new Set([
      ...PROBES,
      ...KEYMAPS.flatMap((name) => loadKeymap(name).bindings.flatMap((b) => b.keys)),
    ]);
    it.each([...everyKey])("%s reads back as itself", (k) => {
      const presses = parse(bytesOf(k));
      expect(presses).toHaveLength(1);
      expect(keyName(presses[0]!)).toBe(canonicalKey(k));
    });
  });

  describe("no screen reads a raw key", () => {
    const screens = join(root, "src/tui/screens");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    it.each(files(screens).map((f) => f.slice(root.length + 1)))("%s", (file) => {
      const source = readFileSync(join(root, file), "utf8");
      expect(source).not.toMatch(/\bpress\.|\bKeyPress\b|\buseInput\b|\buseRawKeys\b/);
    });
  });
}

/**
 * The `command key` pairs the default keymap's run proves for `name` in `context`: screens see
 * commands, never keys (checked above), so only the keys a keymap adds are pressed again.
 */
function provenIn(name: (typeof KEYMAPS)[number], context: Context): Set<string> {
  if (name === "default") return new Set();
  return new Set(
    createDispatcher(loadKeymap("default"))
      .bindingsIn(context)
      .flatMap((b) => b.keys.map((k) => `${b.command} ${k}`)),
  );
}

/** Every binding of one keymap reachable, and every unbound key inert, in every context. */
export function describeKeymap(name: (typeof KEYMAPS)[number]): void {
  describe(`the ${name} keymap`, () => {
    const keymap = loadKeymap(name);
    const dispatcher = createDispatcher(keymap);

    // The prompt context has no unbound-key check (its questions answer any key): it is left out
    // when this keymap adds no key of its own there.
    const contexts = CONTEXTS.filter(
      (c) => c !== "prompt" || casesIn(dispatcher, c, provenIn(name, c)).length > 0,
    );
    describe.each(contexts)("in %s", (context) => {
      const spec = SPECS[context];
      const bench = new Bench(keymap, dispatcher);
      beforeAll(async () => {
        bench.world = await makeWorld(spec.seeds);
      });
      afterAll(() => bench.close());

      if (context !== "prompt")
        it("changes nothing on a key it does not bind", async () => {
          for (const state of [spec.home, ...(spec.also ?? [])]) {
            const keys = unboundKeys(dispatcher, context);
            const app = await bench.enter(state);
            const before = bench.baseline;
            const stored = await storeState(bench.world!, app);
            bench.clean = false;
            for (const k of keys) app.write(bytesOf(k));
            await sleep(spec.drafts ? 300 : 150);
            if (norm(app.frame()) !== before || app.exited()) {
              // Which ones: each alone, from the start state.
              const culprits: string[] = [];
              for (const k of keys) {
                const fresh = await bench.enter(state);
                bench.clean = false;
                fresh.write(bytesOf(k));
                await sleep(80);
                if (norm(fresh.frame()) !== bench.baseline || fresh.exited()) culprits.push(k);
                else bench.clean = true;
              }
              expect(culprits, `keys not bound in ${context} that acted (${state.name})`).toEqual(
                [],
              );
            }
            bench.clean = true;
            expect(await storeState(bench.world!, app), `the store, after ${state.name}`).toBe(
              stored,
            );
          }
        });

      it.each(casesIn(dispatcher, context, provenIn(name, context)))(
        "$command on $key",
        async ({ command, key: k }) => {
          const state = spec.states?.[command] ?? spec.home;
          const app = await bench.enter(state);
          const before = bench.baseline;
          bench.clean = false;
          app.write(bytesOf(k));
          await expectEffect(bench, spec.effects?.[command], before);
          const back = spec.restore?.[command];
          if (!back || app.exited()) return;
          await quiet(app, 20);
          await bench.run(back).catch(() => undefined);
          if (await poll(() => norm(app.frame()) === before, 400)) bench.clean = true;
        },
      );
    });
  });
}
