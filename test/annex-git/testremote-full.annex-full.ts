// The full `git annex testremote` (docs/annex-protocol.md#testremote): every key size (base, base+1, base-1,
// 2 x base) crossed with every chunk size (0, base/100, base/1000, base), unencrypted and with shared
// encryption (testremote makes an encryption=shared variant of the remote itself, so one run covers
// both); base/1000 chunks make thousands of tiny archives and jobs in one vault. Run by
// `npm run test:annex-full` (its own vitest config: about 7 minutes on 2 cores, too long for `npm test`).
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

describe("the full git annex testremote with git-annex-remote-glacier", () => {
  it("passes every test, every chunk size unencrypted and with shared encryption", async () => {
    const world = await annexWorld({ jobDelays: { Expedited: 0, Standard: 0, Bulk: 0 } });
    const repo = await world.repo("testremote-full");
    await expectOk(world.run("git", ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "encryption=none"], { cwd: repo }));
    const result = await world.run("git", ["annex", "testremote", "glacier"], { cwd: repo });
    expect(result.all).toMatch(/All \d+ tests passed/);
    expect(result.all).toMatch(/chunksize=10485 encryption=none/);
    expect(result.all).toMatch(/key size Just 2097152; remote chunksize=1048 encryption=shared/);
    expect(result.all).not.toMatch(/FAIL/);
    expect(result.exitCode).toBe(0);
  }, 3_600_000);
});
