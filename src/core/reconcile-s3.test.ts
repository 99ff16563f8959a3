import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { s3CostModel } from "./cost-model.ts";
import { DAY_MS } from "./prices.ts";
import { S3_PRICES_2026 } from "./prices/s3-2026.ts";
import { formatReconcilePlan } from "./reconcile-format.ts";
import { planReconcile, type LocalFile } from "./reconcile-plan.ts";
import { s3PricesFor, type S3StorageClass } from "./s3-prices.ts";
import { MiB } from "./tree-hash.ts";
import type { CachedArchive } from "./types.ts";

const now = Date.UTC(2026, 11, 1);
const h = (c: string) => c.repeat(64);
const file = (name: string, treeHash: string, size = 8 * MiB): LocalFile => ({ name, size, treeHash, mtimeMs: 0 });
const object = (name: string, treeHash: string, ageDays: number) =>
  cachedArchive(`id-${name}`, name, {
    vault: "s3://bucket/tm",
    treeHash,
    size: 8 * MiB,
    creationDate: now - ageDays * DAY_MS,
  });
const plan = (local: LocalFile[], cached: CachedArchive[], storageClass: S3StorageClass, overwritesInPlace = false) =>
  planReconcile({
    local,
    cached,
    options: { deleteRemoved: false, prefix: "" },
    now,
    costs: s3CostModel(s3PricesFor(S3_PRICES_2026, "us-east-1"), storageClass),
    overwritesInPlace,
  });
const text = (p: ReturnType<typeof plan>) =>
  formatReconcilePlan(p, { commit: false, vault: "s3://bucket/tm" }).map((l) => l.text);

describe("reconcile plan on an S3 storage class", () => {
  it("prices DEEP_ARCHIVE and keeps a replaced version until 180 days after its upload (versioned bucket)", () => {
    const p = plan(
      [file("bands/0", h("a")), file("bands/1", h("x"))],
      [object("bands/0", h("b"), 100)],
      "DEEP_ARCHIVE",
    );
    expect(p.kept.map((k) => [k.archive.id, k.until])).toEqual([["id-bands/0", now + 80 * DAY_MS]]);
    expect(text(p)).toEqual([
      "Reconciliation plan:",
      "  new: 1 file, 8388608 bytes (8.0 MiB)",
      "  modified: 1 file, 8388608 bytes (8.0 MiB); each old version is kept after its replacement is uploaded",
      "  unchanged: 0 files",
      "  old versions: 1 kept, 8388608 bytes (8.0 MiB), until 180 days after upload " +
        "(the first may go on 2027-02-19); none deleted now",
      "Upload: 2 files, 16777216 bytes (16.0 MiB), 2 requests; delete: 0 archives",
      "Estimated cost at us-east-1 S3 DEEP_ARCHIVE prices of 2026-12-02: $0.0001 now (upload requests $0.0001), " +
        "then <$0.0001 per month for the new storage; " +
        "keeping the old versions past their minimum period would cost <$0.0001 per month",
      "use --commit to perform these changes",
    ]);
  });

  it("says that an unversioned bucket overwrites the old version and what its early deletion costs", () => {
    const p = plan([file("bands/0", h("a"), 1024 * MiB)], [object("bands/0", h("b"), 30)], "DEEP_ARCHIVE", true);
    expect(p.overwritten.map((a) => a.id)).toEqual(["id-bands/0"]);
    expect(p.supersede).toEqual([]);
    // 8 MiB at $0.00099 per GB-month for the 150 days left of 180.
    expect(p.cost.overwriteFee).toBeCloseTo((8 / 1024) * 0.00099 * 5, 12);
    expect(text(p)).toContain(
      "1 changed file overwrites its object: the bucket keeps no versions, so the old versions are lost and those " +
        "younger than 180 days pay the early-deletion fee (<$0.0001); turn versioning on to keep them at no extra cost",
    );
    expect(text(p)[2]).toBe(
      "  modified: 1 file, 1073741824 bytes (1.0 GiB); " +
        "each upload overwrites the old object (the bucket keeps no versions)",
    );
  });

  it("warns when small files make the per-object overhead dominate, and not in STANDARD", () => {
    const small = Array.from({ length: 200 }, (_, i) => file(`keys/${String(i)}`, h("c"), 4096));
    expect(text(plan(small, [], "DEEP_ARCHIVE"))).toContain(
      "objects average 4.0 KiB in DEEP_ARCHIVE: the 40 KiB per-object overhead costs 54x the data's storage " +
        "(a TiB of such objects costs $56.23 a month instead of $1.01); " +
        "pack small files together, or store them in STANDARD",
    );
    expect(plan(small, [], "STANDARD").smallObjectWarning).toBeUndefined();
  });

  it("deletes a replaced STANDARD version at once: STANDARD has no minimum duration", () => {
    const p = plan([file("a", h("a"))], [object("a", h("b"), 1)], "STANDARD");
    expect(p.deleteNow.map((a) => a.id)).toEqual(["id-a"]);
    expect(p.cost.earlyDeletion).toBe(0);
  });
});
