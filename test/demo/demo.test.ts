// `npm run demo` at a small size: the sparsebundle cycle runs the built `glacier`
// end to end and says whether the restored tree is identical; a damaged restore makes it fail.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";

const DEMO = `${ROOT}test/demo/demo.mjs`;
const small = { DEMO_BANDS: "8", DEMO_BAND_BYTES: String(1024 * 1024) };

async function runDemo(extraEnv: Record<string, string>) {
  const result = await execa(process.execPath, [DEMO], { reject: false, env: { ...small, ...extraEnv }, cwd: ROOT });
  return { exitCode: result.exitCode, stdout: result.stdout };
}

describe("npm run demo (the sparsebundle backup cycle)", () => {
  it(
    "uploads, reconciles changed, added and removed bands, restores the manifest's snapshot and the latest " +
      "state, and finds both identical",
    async () => {
      const { exitCode, stdout } = await runDemo({});
      expect(stdout).toContain("building a sparsebundle of 8 bands of 1.0 MiB");
      expect(stdout).toMatch(/multi-upload +\d+\.\d s +14 files, 9\.0 MiB/);
      // bands 1-4 changed and Info.plist, bands 8, 9, a added, band 6 removed (4 is among the changed)
      expect(stdout).toMatch(
        /reconcile --commit +\d+\.\d s +8 files, 7\.0 MiB \+ manifest; 6 old versions kept for 90 days/,
      );
      expect(stdout).toMatch(/restore --manifest +\d+\.\d s +16 files, 11\.0 MiB received \(1 run, exit 0\)/);
      expect(stdout).toMatch(/restore \(latest\) +\d+\.\d s +16 files, 11\.0 MiB received/);
      const compared = /compared 18 entries \(15 files, 2 folders, 1 links; 11\.0 MiB, [\d.]+ MiB allocated\)/.source;
      const by = / by name, type, bytes, link target, mode, mtime and allocated blocks:/.source;
      expect(stdout).toMatch(new RegExp(compared + by));
      expect(stdout).toMatch(/restore --manifest +0 differences/);
      expect(stdout).toMatch(/restore \(latest\) +0 differences/);
      expect(stdout).toContain("RESULT: the restored sparsebundle is identical to the original");
      expect(exitCode).toBe(0);
    },
    240_000,
  );

  it("exits 1 and names the band when a restored band differs from the original", async () => {
    const { exitCode, stdout } = await runDemo({ DEMO_TAMPER: "1" });
    // The damage changed the band's bytes and, as any write does, its mtime.
    expect(stdout).toMatch(/restore --manifest +2 differences/);
    expect(stdout).toContain(`"bands/1": different bytes`);
    expect(stdout).toMatch(/"bands\/1": mtime [\d.]+, not [\d.]+/);
    expect(stdout).toContain("RESULT: MISMATCH");
    expect(exitCode).toBe(1);
  }, 240_000);
});
