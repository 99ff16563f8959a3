// The full `git annex testremote` (docs/annex-protocol.md#testremote): every key size (base, base+1, base-1,
// 2 x base) crossed with every chunk size (0, base/100, base/1000, base), unencrypted and with shared
// encryption (testremote makes an encryption=shared variant of the remote itself, so one run covers
// both); base/1000 chunks make thousands of tiny archives and jobs in one vault. Run by
// `npm run test:annex-full` (its own vitest config: 5 to 6 minutes on 2 cores, too long for
// `npm test`); it prints how many tests are done as it goes, instead of minutes of silence.
import { execa } from "execa";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { annexWorld, expectOk } from "./annex-world.ts";

/** How many tests the full testremote runs (its closing line says "All 573 tests passed"). */
const TOTAL = 573;
/** A progress line every this many finished tests. */
const EVERY = 25;

describe("the full git annex testremote with git-annex-remote-glacier", () => {
  it("passes every test, every chunk size unencrypted and with shared encryption", async () => {
    const world = await annexWorld({ jobDelays: { Expedited: 0, Standard: 0, Bulk: 0 } });
    const repo = await world.repo("testremote-full");
    await expectOk(
      world.run("git", ["annex", "initremote", "glacier", "type=external", "externaltype=glacier", "encryption=none"], {
        cwd: repo,
      }),
    );
    const started = Date.now();
    const child = execa("git", ["annex", "testremote", "glacier"], {
      cwd: repo,
      env: world.env,
      extendEnv: false,
      reject: false,
      all: true,
      stdin: "ignore",
      buffer: true,
    });
    let done = 0;
    // tasty prints one "NAME: OK (0.05s)" or "NAME: FAIL" line per finished test.
    createInterface({ input: child.all }).on("line", (line) => {
      if (!/:\s+(OK|FAIL)\b/.test(line)) return;
      done += 1;
      if (done % EVERY === 0 || done === TOTAL) {
        process.stderr.write(
          `testremote: ${done} of ${TOTAL} tests done (${Math.round((Date.now() - started) / 1000)} s)\n`,
        );
      }
    });
    const result = await child;
    const all = result.all;
    expect(all).toMatch(new RegExp(`All ${TOTAL} tests passed`));
    // The progress count is for the person watching: tasty may print two results on one line, so
    // testremote's own closing line above is what decides.
    process.stderr.write(
      `testremote: finished, ${done} result lines seen (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
    expect(all).toMatch(/chunksize=10485 encryption=none/);
    expect(all).toMatch(/key size Just 2097152; remote chunksize=1048 encryption=shared/);
    expect(all).not.toMatch(/FAIL/);
    expect(result.exitCode).toBe(0);
  }, 3_600_000);
});
