// Four processes (as `git annex copy -J4` starts them) upload and delete in one
// vault and one cache at the same time: no lost record, no deadlock, no "database is locked".
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, record } from "./ledger.ts";
import { seeded, seededBytes } from "./rng.ts";
import { cachedArchives, vaultArchives } from "./vault-check.ts";
import { makeWorld } from "./world.ts";

const SOAK = process.env["RELIABILITY_SOAK"] === "1";
const WORKERS = 4;
const UPLOADS = SOAK ? 40 : 8;
const DEADLOCK_MS = 60_000;

describe("four processes on one vault and one cache", () => {
  it(`${WORKERS} x ${UPLOADS} uploads with deletes between: every record kept, no lock error, no hang`, async () => {
    const world = await makeWorld();
    try {
      expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
      const problems: string[] = [];
      const kept = new Set<string>();
      let commands = 0;
      let slowest = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          const random = seeded(300 + w);
          const mine: string[] = [];
          for (let i = 0; i < UPLOADS; i++) {
            const name = `w${w}/file-${i}`;
            const path = join(world.dir, `w${w}-${i}.bin`);
            await writeFile(path, seededBytes(random, 1 + Math.floor(random() * 20_000)));
            const t = performance.now();
            const up = await world.glacier(["archive", "upload", "--name", name, "v", path], {
              timeoutMs: DEADLOCK_MS,
            });
            slowest = Math.max(slowest, performance.now() - t);
            commands += 1;
            if (up.exitCode !== 0) problems.push(`${name}: upload exit ${up.exitCode}: ${up.stderr.trim()}`);
            else mine.push(name);
            // Every third step deletes one of this worker's earlier archives.
            if (i % 3 === 2) {
              const victim = mine.splice(Math.floor(random() * mine.length), 1)[0]!;
              const t2 = performance.now();
              const del = await world.glacier(["archive", "delete", "v", victim], { timeoutMs: DEADLOCK_MS });
              slowest = Math.max(slowest, performance.now() - t2);
              commands += 1;
              if (del.exitCode !== 0) {
                problems.push(`${victim}: delete exit ${del.exitCode}: ${del.stderr.trim()}`);
                mine.push(victim);
              }
            }
          }
          for (const name of mine) kept.add(name);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cached = await cachedArchives(world, "v");
      const inVault = await vaultArchives(world, "v");
      const cachedNames = new Set(cached.map((c) => c.name));
      for (const name of kept) {
        if (!cachedNames.has(name)) problems.push(`${name}: uploaded but missing from the cache (lost record)`);
        if ((inVault.get(name) ?? []).length !== 1)
          problems.push(`${name}: ${(inVault.get(name) ?? []).length} archives in the vault`);
      }
      for (const name of cachedNames)
        if (!kept.has(name)) problems.push(`${name}: deleted but still listed by the cache`);
      for (const c of cached)
        if (!(inVault.get(c.name) ?? []).includes(c.id)) problems.push(`${c.name}: cache id ${c.id} not in the vault`);
      for (const p of problems)
        if (/locked|SQLITE_BUSY|\n\s+at /i.test(p)) problems.push(`lock error or stack trace: ${p}`);
      record("concurrency", "processes x commands", `${WORKERS} x ${commands / WORKERS}`);
      record("concurrency", "archives kept / records in the cache", `${kept.size} / ${cached.length}`);
      record(
        "concurrency",
        "slowest command (s), whole run (s)",
        `${(slowest / 1000).toFixed(1)}, ${seconds.toFixed(1)}`,
      );
      record("concurrency", "lost records, lock errors, hangs", problems.length);
      expect(check("concurrency", problems)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
