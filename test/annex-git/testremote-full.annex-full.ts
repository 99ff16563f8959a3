// The full `git annex testremote` (annex-protocol.md §10): every key size (base, base+1, base-1,
// 2 x base) crossed with every chunk size (0, base/100, base/1000, base), unencrypted and with shared
// encryption; base/1000 chunks make thousands of tiny archives and jobs in one vault. Run by
// `npm run test:annex-full` (its own vitest config: too long for `npm test`).
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

describe("the full git annex testremote with git-annex-remote-glacier", () => {
  it("passes every test with encryption=none, every chunk size included", async () => {
    const world = await annexWorld({ jobDelays: { Expedited: 0, Standard: 0, Bulk: 0 } });
    const repo = await world.repo("testremote-full");
    await expectOk(world.run("git", ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "encryption=none"], { cwd: repo }));
    const result = await world.run("git", ["annex", "testremote", "glacier"], { cwd: repo });
    expect(result.all).toMatch(/All \d+ tests passed/);
    expect(result.all).toMatch(/chunksize=10485 /);
    expect(result.all).not.toMatch(/FAIL/);
    expect(result.exitCode).toBe(0);
  }, 3_600_000);
});
