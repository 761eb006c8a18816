import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadUserKeymap } from "../../src/config/index.js";

function configWith(keymap: unknown): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "weft-config-"));
  mkdirSync(join(home, "weft"));
  writeFileSync(join(home, "weft", "keymap.json"), JSON.stringify(keymap));
  return { XDG_CONFIG_HOME: home };
}

describe("the user's keymap in the config directory", () => {
  it("rebinds some commands on top of a bundled keymap", () => {
    const env = configWith({ extends: "vim", bindings: [{ command: "save", keys: ["f10", "S"] }] });
    const keymap = loadUserKeymap(env);
    expect(keymap.bindings.find((b) => b.command === "save")!.keys).toEqual(["f10", "S"]);
    expect(keymap.bindings.find((b) => b.command === "deleteNode")!.keys).toEqual(["x"]);
  });

  it("is the default keymap when there is no file, and a chosen keymap wins", () => {
    expect(loadUserKeymap({ XDG_CONFIG_HOME: "/nonexistent" }).name).toBe("default");
    const env = configWith({ bindings: [] });
    expect(loadUserKeymap(env, "vim").name).toBe("vim");
  });

  it("names the key and the file when an override clashes or is not a key", () => {
    const clash = configWith({ bindings: [{ command: "save", keys: ["d"] }] });
    expect(() => loadUserKeymap(clash)).toThrow(/keymap\.json.*\n.*key `d` is bound to both/s);
    const bad = configWith({ bindings: [{ command: "save", keys: ["hyper+q"] }] });
    expect(() => loadUserKeymap(bad)).toThrow(/bindings\.0\.keys\.0: not a key.*hyper\+q/s);
  });
});
