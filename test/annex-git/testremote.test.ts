// `git annex testremote --fast` (docs/annex-protocol.md#testremote) against git-annex-remote-glacier and an
// emulator whose jobs finish at once: store, present, retrieve (resumed from 0, 33% and the end),
// remove, for keys of 1 MiB and 1 MiB - 1, unencrypted and with shared encryption (GPGHMAC keys).
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

describe("git annex testremote --fast with git-annex-remote-glacier", () => {
  for (const encryption of ["none", "shared"]) {
    it(`passes every test with encryption=${encryption}`, async () => {
      const world = await annexWorld({ jobDelays: { Expedited: 0, Standard: 0, Bulk: 0 } });
      const repo = await world.repo("testremote");
      await expectOk(
        world.run(
          "git",
          ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", `encryption=${encryption}`],
          { cwd: repo },
        ),
      );
      const result = await world.run("git", ["annex", "testremote", "glacier", "--fast"], { cwd: repo });
      expect(result.all).toMatch(/All \d+ tests passed/);
      expect(result.all).not.toMatch(/FAIL/);
      expect(result.exitCode).toBe(0);
    }, 180_000);
  }
});
