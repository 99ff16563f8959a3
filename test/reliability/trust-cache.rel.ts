// Cache damage is never silent, through the built binary: a journal deleted after a checkpoint (the
// database's generation shows one existed) is reported with how to recover, the cache still serves
// what the database holds, and `vault sync` with a fresh inventory brings back the lost records.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCache } from "../../src/cache/index.ts";
import { systemClock } from "../../src/platform/system-clock.ts";
import { check, record } from "./ledger.ts";
import { makeWorld } from "./world.ts";

const SECTION = "cache damage";

describe("cache damage", () => {
  it(
    "a journal lost after a checkpoint is reported with " + "how to recover, and vault sync recovers its records",
    async () => {
      const world = await makeWorld();
      try {
        for (const name of ["a", "b", "c"]) await writeFile(join(world.dir, name), `content of ${name}\n`);
        expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
        for (const name of ["a", "b"]) expect((await world.glacier(["archive", "upload", "v", name])).exitCode).toBe(0);
        // A checkpoint folds a and b into the database (as a long-lived cache does every 4 MiB of journal).
        const cache = await openCache({ dir: world.cacheDir, namespace: { region: "us-east-1" }, clock: systemClock });
        await cache.checkpoint();
        await cache.close();
        expect((await world.glacier(["archive", "upload", "v", "c"])).exitCode).toBe(0);
        await rm(join(world.cacheDir, "journal"));

        const listed = await world.glacier(["archive", "list", "v"]);
        const problems: string[] = [];
        if (listed.exitCode !== 0) problems.push(`archive list after the loss exited ${listed.exitCode}`);
        if (listed.stdout !== "a\nb\n")
          problems.push(`archive list after the loss printed ${JSON.stringify(listed.stdout)}`);
        const warning = listed.stderr.split("\n").filter((l) => l !== "");
        if (
          warning.length !== 1 ||
          !/^glacier: warning: .*journal is missing .*glacier vault sync --max-age 0 VAULT/.test(warning[0]!)
        ) {
          problems.push(`the loss was not reported in one line with the recovery: ${JSON.stringify(listed.stderr)}`);
        }

        await world.emulator.control.generateInventory("v");
        const synced = await world.glacier(["vault", "sync", "--max-age", "0", "--wait", "v"]);
        if (synced.exitCode !== 0) problems.push(`vault sync exited ${synced.exitCode}: ${synced.stderr}`);
        const after = await world.glacier(["archive", "list", "v"]);
        if (after.stdout !== "a\nb\nc\n")
          problems.push(`after vault sync the cache lists ${JSON.stringify(after.stdout)}`);
        if (after.stderr !== "")
          problems.push(`after vault sync the cache still warns: ${JSON.stringify(after.stderr)}`);

        record(
          SECTION,
          "journal lost after a checkpoint: reported, recovered by vault sync",
          problems.length === 0 ? "yes" : "no",
        );
        expect(check(SECTION, problems)).toEqual([]);
      } finally {
        await world.close();
      }
    },
  );

  it("a journal that is a folder gives one line with what to do, exit 1, and no internal error", async () => {
    const world = await makeWorld();
    try {
      expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
      await writeFile(join(world.dir, "a"), "a\n");
      expect((await world.glacier(["archive", "upload", "v", "a"])).exitCode).toBe(0);
      await rm(join(world.cacheDir, "journal"));
      await mkdir(join(world.cacheDir, "journal"));
      const listed = await world.glacier(["archive", "list", "v"]);
      const problems: string[] = [];
      if (listed.exitCode !== 1) problems.push(`archive list exited ${listed.exitCode}`);
      const notRegular = /^glacier: [^\n]*journal: the archive cache journal is not a regular file; /.source;
      if (!new RegExp(notRegular + /move it aside and run "glacier vault sync[^\n]*\n$/.source).test(listed.stderr)) {
        problems.push(`not one line saying what to do: ${JSON.stringify(listed.stderr)}`);
      }
      record(SECTION, "journal that is a folder: one line, exit 1", problems.length === 0 ? "yes" : "no");
      expect(check(SECTION, problems)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
