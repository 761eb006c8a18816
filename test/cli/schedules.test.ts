import { describe, expect, it } from "vitest";
import { cliOnRedis } from "../support/cli.js";

const { weft, write } = cliOnRedis("sched");

describe("weft schedules", () => {
  it("lists each schedule line with its zone, policy and next run", async () => {
    expect((await weft("schedules")).stdout).toContain("no workflow has a schedule");
    write(
      "nightly.yaml",
      [
        "name: nightly",
        "schedule:",
        "  cron: ['0 2 * * *', 'CRON_TZ=Asia/Tokyo 30 9 * * 1-5']",
        "  timezone: Europe/Paris",
        "  missed: all",
        "nodes:",
        "  - { id: a, kind: task, handler: noop }",
        "",
      ].join("\n"),
    );
    expect((await weft("import", "nightly.yaml")).code).toBe(0);
    const out = (await weft("schedules")).stdout;
    expect(out).toMatch(/^nightly@1\s+0 2 \* \* \*\s+Europe\/Paris\s+all\s+\S/m);
    expect(out).toMatch(/^nightly@1\s+30 9 \* \* 1-5\s+Asia\/Tokyo\s+all\s+\S/m);
    const json = JSON.parse((await weft("schedules", "--format", "json")).stdout);
    expect(json[0].next).toBeGreaterThan(Date.now());
  });

  it("refuses a bad cron line, an unknown zone and params a scheduled run would be refused", async () => {
    write(
      "bad.yaml",
      [
        "name: bad",
        "parameters: { day: { type: string, required: true } }",
        "schedule: { cron: '61 * * * *', timezone: Mars/Olympus }",
        "nodes:",
        "  - { id: a, kind: task, handler: noop }",
        "",
      ].join("\n"),
    );
    const r = await weft("validate", "bad.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("E_CRON");
    expect(r.stdout).toContain("`Mars/Olympus` is not a time zone");
    expect(r.stdout).toContain("E_SCHEDULE_PARAMS");
  });
});
