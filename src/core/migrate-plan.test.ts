import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { formatMigratePlan, planJsonLine, planLine } from "./migrate-format.ts";
import {
  migratePartSize,
  migrationDays,
  planMigration,
  s3MonthlyStorage,
  type MigrateOptions,
} from "./migrate-plan.ts";
import { DAY_MS, GB, pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";
import { S3_PRICES_2026 } from "./prices/s3-2026.ts";
import { s3PricesFor } from "./s3-prices.ts";
import { shardOf } from "./shard.ts";
import type { CachedArchive } from "./types.ts";

const MiB = 1024 * 1024;
const now = Date.UTC(2026, 11, 1);
const vaultPrices = pricesFor(GLACIER_PRICES_2026, "us-east-1");
const s3Prices = s3PricesFor(S3_PRICES_2026, "us-east-1");
const archive = (id: string, name: string | null, size: number | null, ageDays: number | null) =>
  cachedArchive(id, name, {
    treeHash: "ab".repeat(32),
    size,
    creationDate: ageDays === null ? null : now - ageDays * DAY_MS,
  });
const options = (over: Partial<MigrateOptions> = {}): MigrateOptions => ({
  prefix: "vault/",
  storageClass: "DEEP_ARCHIVE",
  tier: "Bulk",
  maxJobs: 1000,
  ...over,
});
const plan = (cached: CachedArchive[], over: Partial<MigrateOptions> = {}) =>
  planMigration({ cached, options: options(over), now, vaultPrices, s3Prices });

describe("the migration plan", () => {
  it("counts archives, bytes and placements, and prices retrieval, requests and storage before and after", () => {
    const cached = [
      archive("a1", "big", 100 * MiB, 400),
      archive("a2", "big", 8 * MiB, 500),
      archive("a3", null, 1 * MiB, 10),
    ];
    const p = plan(cached);
    const bytes = 109 * MiB;
    expect(p.items.map((i) => i.key)).toEqual([
      expect.stringMatching(/^vault\/big$/),
      expect.stringMatching(/^vault\/big~\d{8}T\d{6}Z~[0-9a-f]{12}$/),
      "vault/by-id/a3",
    ]);
    expect(p.bytes).toBe(bytes);
    expect(p.counts).toEqual({ name: 1, older: 1, "by-id": 1 });
    // 100 MiB: 7 parts of 16 MiB + create + complete; the others one PutObject each; a HeadObject each.
    expect(p.costs.requestCount).toBe(9 + 1 + 1 + 3);
    expect(p.costs.requests).toBeCloseTo((11 * 0.05 + 3 * 0.0004) / 1000, 12);
    expect(p.costs.retrieval).toBeCloseTo((bytes / GB) * 0.0025 + (3 * 0.025) / 1000, 12);
    expect(p.costs.storageBeforePerMonth).toBeCloseTo(((bytes + 3 * 32 * 1024) / GB) * 0.004, 12);
    expect(p.costs.storageAfterPerMonth).toBeCloseTo(
      ((bytes + 3 * 32 * 1024) / GB) * 0.00099 + ((3 * 8 * 1024) / GB) * 0.023,
      12,
    );
    // Only a3 is younger than 90 days: 80 days left of 1 MiB at $0.004 per GB-month.
    expect(p.costs.earlyDeletionArchives).toBe(1);
    expect(p.costs.earlyDeletion).toBeCloseTo((MiB / GB) * 0.004 * (80 / 30), 12);
    expect(p.days).toBe(0.5);
  });

  it("counts archives of unknown size and age without inventing numbers", () => {
    const p = plan([archive("a", "x", null, null)]);
    expect(p.unknownSize).toBe(1);
    expect(p.bytes).toBe(0);
    expect(p.costs.unknownAgeArchives).toBe(1);
    expect(p.costs.earlyDeletionArchives).toBe(0);
    const text = formatMigratePlan(p, { vault: "v", url: "s3://b/vault/" }).map((m) => `${m.level}: ${m.text}`);
    expect(text).toContain(
      "warning: 1 archive of unknown size counted as 0 bytes; `glacier vault sync --fix v` learns their sizes",
    );
  });

  it("keeps the keys of the whole vault in a shard and takes only the shard's archives", () => {
    const cached = Array.from({ length: 40 }, (_, n) => archive(`id-${n}`, n % 2 === 0 ? "same" : `f${n}`, 1, 200));
    const whole = new Map(plan(cached).items.map((i) => [i.archive.id, i.key]));
    const shards = [1, 2, 3].map((index) => plan(cached, { shard: { index, count: 3 } }));
    for (const [n, s] of shards.entries()) {
      expect(s.vaultArchives).toBe(40);
      for (const item of s.items) {
        expect(shardOf(item.archive.id, 3)).toBe(n + 1);
        expect(item.key).toBe(whole.get(item.archive.id));
      }
    }
    expect(shards.reduce((sum, s) => sum + s.items.length, 0)).toBe(40);
  });

  it("takes as many days as the slower of the job rounds and the daily byte limit", () => {
    expect(migrationDays(0, 0, options())).toBe(0);
    expect(migrationDays(2500, 0, options({ maxJobs: 1000 }))).toBe(1.5);
    expect(migrationDays(10, 10 * GB, options({ maxBytesPerDay: GB }))).toBe(10);
    expect(migrationDays(10, 10, options({ tier: "Standard" }))).toBeCloseTo(5 / 24, 12);
  });

  it("doubles the part size until 10,000 parts hold the archive, and bills GLACIER_IR's minimum object size", () => {
    expect(migratePartSize(1)).toBe(16 * MiB);
    expect(migratePartSize(10_000 * 16 * MiB + 1)).toBe(32 * MiB);
    expect(s3MonthlyStorage(1, "GLACIER_IR", s3Prices)).toBeCloseTo(((128 * 1024) / GB) * 0.004, 12);
  });

  it("warns when the per-object overhead makes the S3 class dearer than the vault", () => {
    const tiny = plan(
      Array.from({ length: 10 }, (_, n) => archive(`t${n}`, `f${n}`, 100, 200)),
      { storageClass: "GLACIER_IR" },
    );
    expect(tiny.costs.storageAfterPerMonth).toBeGreaterThan(tiny.costs.storageBeforePerMonth);
    expect(formatMigratePlan(tiny, { vault: "v", url: "s3://b/" }).filter((m) => m.level === "warning")).toEqual([
      {
        level: "warning",
        text:
          "storage in GLACIER_IR would cost more per month than in the vault: the average archive is 100 bytes " +
          "and each object is billed its overhead",
      },
    ]);
  });

  it("prints one line per archive and the totals as info lines", () => {
    const p = plan([archive("a1", "x", 5, 200)]);
    expect(planLine(p.items[0]!)).toBe("vault/x\t5\ta1\tname\n");
    expect(JSON.parse(planJsonLine(p.items[0]!))).toMatchObject({ key: "vault/x", size: 5, placement: "name" });
    expect(formatMigratePlan(p, { vault: "v", url: "s3://b/vault/" }).map((m) => m.text)).toEqual([
      "Migration plan: vault 'v' to s3://b/vault/ (DEEP_ARCHIVE)",
      "  archives: 1 archive, 5 bytes; 1 at their name, 0 older versions of a name with a suffix, 0 by id",
      "  retrieval: Bulk, 1 job, <$0.0001",
      "  requests: 2 S3 requests (uploads and a HeadObject each), <$0.0001",
      "  storage per month: <$0.0001 in the vault, <$0.0001 in DEEP_ARCHIVE",
      "  early deletion if the vault's archives were deleted: 0 archives younger than 90 days, $0.00",
      "  duration: about 12 hours at up to 1000 jobs at a time (Bulk)",
      "Estimated at vault us-east-1 prices of 2026-11-27 and S3 us-east-1 prices of 2026-12-02; egress not included",
      // 8 KB at STANDARD rates and 32 KB at DEEP_ARCHIVE's outweigh the vault's 32 KB for 5 bytes.
      "storage in DEEP_ARCHIVE would cost more per month than in the vault: the average archive is 5 bytes " +
        "and each object is billed its overhead",
    ]);
  });
});
