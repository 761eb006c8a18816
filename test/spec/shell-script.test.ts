import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  planShell,
  renderShellScript,
  scanShellScript,
  shellArgName,
  splitWords,
} from "../../src/spec/index.js";

/** Renders `script` with every template's value `value`, runs it with sh, returns its stdout. */
function runWith(script: string, value: string, shell = "/bin/sh"): string {
  const scan = scanShellScript(script);
  if (!scan.ok) throw new Error(scan.message);
  const values: string[] = [];
  const body = renderShellScript(scan.parts, () => value, values);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  values.forEach((v, i) => {
    env[shellArgName(i + 1)] = v;
  });
  const r = spawnSync(shell, ["-c", body], { env, encoding: "utf8", cwd: "/" });
  return r.stdout;
}

describe("templates in shell scripts", () => {
  it("quotes each reference for where it stands", () => {
    const render = (script: string) => {
      const scan = scanShellScript(script);
      if (!scan.ok) throw new Error(scan.message);
      return renderShellScript(scan.parts, () => "v", []);
    };
    expect(render("echo ${x}")).toBe('echo "${WEFT_ARG_1}"');
    expect(render('echo "a ${x}"')).toBe('echo "a ${WEFT_ARG_1}"');
    expect(render("echo 'a ${x}'")).toBe("echo 'a '\"${WEFT_ARG_1}\"''");
    expect(render("echo $${HOME} # ${x} isn't used")).toBe("echo ${HOME} # ${x} isn't used");
    expect(render("cat <<EOF\n${x}\nEOF\necho ${x}")).toBe(
      'cat <<EOF\n${WEFT_ARG_1}\nEOF\necho "${WEFT_ARG_2}"',
    );
    expect(render('echo "$(echo ${x})"')).toBe('echo "$(echo "${WEFT_ARG_1}")"');
  });

  it("refuses a value in a here-document with a quoted delimiter", () => {
    const scan = scanShellScript("cat <<'EOF'\n${x}\nEOF");
    expect(scan.ok).toBe(false);
  });

  it("gives back any value exactly, in every quoting context (fuzzed through a real sh)", () => {
    const scripts = [
      "printf '%s' ${v}",
      "printf '%s' \"${v}\"",
      "printf '%s' '${v}'",
      "printf '%s' \"$(printf '%s' \"${v}\")\"",
      "printf '%s' \"`printf '%s' ${v}`\"",
      "cat <<EOF\n${v}\nEOF",
      "# it's a comment\nprintf '%s' ${v}",
    ];
    const value = fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/\0/g, ""));
    fc.assert(
      fc.property(value, fc.constantFrom(...scripts), (v, script) => {
        let out = runWith(script, v);
        // Command substitution and here-documents drop trailing newlines / add one.
        if (script.startsWith("cat")) out = out.replace(/\n$/, "");
        if (script.includes("$(") || script.includes("`")) v = v.replace(/\n+$/, "");
        expect(out).toBe(v);
      }),
      { numRuns: 150 },
    );
  });
});

describe("shell words", () => {
  it("splits like a shell, keeping templates whole", () => {
    const split = splitWords(`printf "[%s]\\n" \${params.a + " b"} 'c d'\\ e`);
    expect(split.ok && split.words).toEqual(["printf", "[%s]\\n", '${params.a + " b"}', "c d e"]);
    expect(splitWords("echo 'open").ok).toBe(false);
  });

  it("reads interpreters as Dagu writes them", () => {
    expect(planShell({ shell: "bash", command: "echo hi" })).toMatchObject({
      mode: "script",
      interpreter: ["bash", "-c"],
      posix: true,
    });
    expect(planShell({ shell: "bash -e", command: "x" })).toMatchObject({
      interpreter: ["bash", "-e", "-c"],
    });
    expect(planShell({ command: ["sh", "-ec", "echo ${x}"] })).toMatchObject({
      mode: "argv",
      scriptAt: 2,
    });
  });
});

describe("the shell readers on any text (fuzz)", () => {
  const shellish = fc
    .array(
      fc.constantFrom(
        "'",
        '"',
        "\\",
        "$",
        "${",
        "}",
        "$(",
        ")",
        "`",
        "<<",
        "<<-",
        "EOF",
        "\n",
        " ",
        "#",
        "$'",
        "$((",
        "a",
        "params.x",
        "$${",
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(""));
  it("never throws: scanning, splitting, planning and rendering give a result or a problem", () => {
    fc.assert(
      fc.property(shellish, fc.boolean(), (text, shell) => {
        const scan = scanShellScript(text);
        if (scan.ok) renderShellScript(scan.parts, () => "v", []);
        splitWords(text);
        planShell(shell ? { shell: true, command: text } : { command: text });
        planShell({ command: [text, "-c", text] });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});
