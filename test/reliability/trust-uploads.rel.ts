// Same file, two uploads: two `glacier archive upload` of one file under one name at once, with one
// cache. The second must not adopt the multipart upload the first (alive) is running: two processes
// sending parts to one upload id end with "Archive size ... does not match the uploaded parts" or
// "upload ID was not found". Each run gets its own upload and its own archive, as two uploads of a
// file always did (glacier-cli semantics), and no upload record is left open.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { openCache } from "../../src/cache/index.ts";
import { systemClock } from "../../src/platform/system-clock.ts";
import { check, record } from "./ledger.ts";
import { seeded, seededBytes } from "./rng.ts";
import { cachedArchives, vaultArchives } from "./vault-check.ts";
import { makeWorld } from "./world.ts";

const MiB = 1 << 20;

describe("same file, two uploads at once", () => {
  it("two archive uploads of one multipart file both succeed, each with its own upload and archive", async () => {
    const world = await makeWorld();
    try {
      expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
      const file = join(world.dir, "big.bin");
      await writeFile(file, seededBytes(seeded(1210), 4 * MiB + 123));
      // Parts answered slowly, so the first upload is still running when the second starts.
      world.emulator.control.setFaults("latency,op=UploadMultipartPart,ms=4000");
      const args = ["archive", "upload", "--part-size", "1MiB", "--name", "same", "v", file];
      const first = world.spawn(args, { timeoutMs: 120_000 });
      // The second starts once the first's upload is recorded in the cache (polled, not timed).
      const cache = await openCache({
        dir: world.cacheDir,
        namespace: { region: "us-east-1", endpoint: world.emulator.url },
        clock: systemClock,
      });
      try {
        while ((await cache.uploadIntents("v")).length === 0) {
          if (first.exitCode !== null) break;
          await delay(50);
        }
      } finally {
        await cache.close();
      }
      const second = world.spawn(args, { timeoutMs: 120_000 });
      const results = await Promise.all([first, second]);
      world.emulator.control.setFaults("");

      const problems: string[] = [];
      results.forEach((result, i) => {
        if (result.exitCode !== 0)
          problems.push(`upload ${i + 1}: exit ${result.exitCode}: ${String(result.stderr).trim()}`);
        if (/does not match the uploaded parts|upload ID was not found/i.test(String(result.stderr)))
          problems.push(`upload ${i + 1}: spurious failure`);
      });
      const initiated = world.emulator.control
        .requestLog()
        .filter((e) => e.operation === "InitiateMultipartUpload").length;
      if (initiated !== 2) problems.push(`${initiated} multipart uploads initiated, expected one per run`);
      const inVault = (await vaultArchives(world, "v")).get("same") ?? [];
      if (inVault.length !== 2) problems.push(`${inVault.length} archives named same in the vault, expected 2`);
      const cached = (await cachedArchives(world, "v"))
        .filter((c) => c.name === "same")
        .map((c) => c.id)
        .sort();
      if (JSON.stringify(cached) !== JSON.stringify([...inVault].sort()))
        problems.push(`cache lists ${cached.join(",")}, vault holds ${inVault.join(",")}`);
      record(
        "trust-uploads",
        "two uploads of one file at once: archives / uploads initiated",
        `${inVault.length} / ${initiated}`,
      );
      expect(check("trust-uploads", problems)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
