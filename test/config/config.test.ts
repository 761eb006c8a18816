import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  bundled,
  COMMANDS,
  ConfigError,
  loadKeymap,
  loadTheme,
  themeName,
} from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "weft-config-"));
afterEach(() => rmSync(join(dir, "bad.json"), { force: true }));

describe("themes", () => {
  it("loads every bundled theme; no-color has no colour at all", () => {
    for (const name of bundled("themes")) expect(loadTheme(name).name).toBe(name);
    const none = loadTheme("no-color");
    for (const group of [none.text, none.node, none.edge, none.status, none.finding, none.ui]) {
      for (const value of Object.values(group)) expect(value).toBeNull();
    }
  });

  it("lets NO_COLOR win over any choice", () => {
    expect(themeName({ NO_COLOR: "1" }, "light")).toBe("no-color");
    expect(themeName({ WEFT_THEME: "light" })).toBe("light");
    expect(themeName({})).toBe("dark");
  });

  it("names the token and the value of a bad theme", () => {
    const theme = {
      ...loadTheme("dark"),
      status: { ...loadTheme("dark").status, failed: "crimson-ish" },
    };
    writeFileSync(join(dir, "bad.json"), JSON.stringify(theme));
    expect(() => loadTheme(join(dir, "bad.json"))).toThrow(
      /status\.failed: a colour is .* \(found "crimson-ish"\)/,
    );
  });
});

describe("keymaps", () => {
  it("binds every command in each bundled keymap, each F-key with a letter twin", () => {
    for (const name of bundled("keymaps")) {
      const keymap = loadKeymap(name);
      expect(new Set(keymap.bindings.map((b) => b.command))).toEqual(new Set(COMMANDS));
      for (const b of keymap.bindings) {
        if (b.keys.some((k) => /^f\d+$/.test(k)))
          expect(b.keys.some((k) => !/^f\d+$/.test(k))).toBe(true);
      }
    }
  });

  it("rejects a key bound to two commands, naming the key", () => {
    const keymap = loadKeymap("default");
    keymap.bindings.find((b) => b.command === "save")!.keys.push("d");
    writeFileSync(join(dir, "bad.json"), JSON.stringify(keymap));
    expect(() => loadKeymap(join(dir, "bad.json"))).toThrow(
      "key `d` is bound to both `save` and `deleteNode`",
    );
  });

  it("rejects an unknown command and a key that is not a key", () => {
    const keymap = loadKeymap("default") as { bindings: { command: string; keys: string[] }[] };
    keymap.bindings[0]!.command = "explode";
    keymap.bindings[1]!.keys = ["hyper+x"];
    writeFileSync(join(dir, "bad.json"), JSON.stringify(keymap));
    const error = (() => {
      try {
        loadKeymap(join(dir, "bad.json"));
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/bindings\.0\.command: .*\(found "explode"\)/);
    expect(error!.message).toMatch(/bindings\.1\.keys\.0: not a key.*\(found "hyper\+x"\)/);
  });

  it("says which names exist when one does not", () => {
    expect(() => loadKeymap("emacs")).toThrow("no keymap named `emacs` (bundled: default, vim)");
  });
});
