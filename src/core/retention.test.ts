import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { deleteGuard } from "./delete-guard.ts";
import { DAY_MS } from "./prices.ts";
import { deletableAt, minimumStorageDays, planPrune } from "./retention.ts";
import { S3_STORAGE_CLASSES } from "./s3-prices.ts";
import { listSnapshots } from "./snapshots.ts";
import type { CachedArchive } from "./types.ts";

const now = Date.UTC(2026, 5, 1);
const archive = (id: string, name: string, uploaded: number, over: Partial<CachedArchive> = {}) =>
  cachedArchive(id, name, {
    treeHash: "a".repeat(64),
    size: 100,
    createdHere: uploaded,
    creationDate: uploaded,
    ...over,
  });
const old = (at: number) => ({ superseded: { at, manifest: null } });

describe("retention of superseded archives", () => {
  it("looks the minimum storage period up by storage class: 90 days for vaults, 180 for DEEP_ARCHIVE", () => {
    expect(minimumStorageDays()).toBe(90);
    expect(minimumStorageDays("GLACIER")).toBe(90);
    expect(minimumStorageDays("DEEP_ARCHIVE")).toBe(180);
  });

  it(
    "keeps a version until 90 days after upload, --keep-versions DAYS after replacement if later, and 0 means " + "now",
    () => {
      const a = archive("a", "f", now - 10 * DAY_MS);
      expect(deletableAt(a, now, {})).toBe(now + 80 * DAY_MS);
      expect(deletableAt(a, now, { keepVersionsDays: 120 })).toBe(now + 120 * DAY_MS);
      expect(deletableAt(a, now, { keepVersionsDays: 0 })).toBe(now);
      expect(deletableAt(archive("b", "f", now, { creationDate: null, createdHere: null }), now, {})).toBeNull();
    },
  );

  it("knows each S3 class's minimum: STANDARD none, GLACIER_IR and GLACIER 90 days, DEEP_ARCHIVE 180", () => {
    expect(S3_STORAGE_CLASSES.map((c) => minimumStorageDays(c))).toEqual([0, 90, 90, 180]);
  });

  it("keeps a replaced S3 object version until its class's minimum has passed since upload", () => {
    const a = archive("a", "f", now - 10 * DAY_MS);
    expect(deletableAt(a, now, { storageClass: "DEEP_ARCHIVE" })).toBe(now + 170 * DAY_MS);
    expect(deletableAt(a, now, { storageClass: "STANDARD" })).toBe(now);
    const cached = [archive("old", "f", now - 100 * DAY_MS, old(now - 50 * DAY_MS))];
    expect(planPrune(cached, "", now, { storageClass: "GLACIER" }).deleteNow.map((x) => x.id)).toEqual(["old"]);
    expect(planPrune(cached, "", now, { storageClass: "DEEP_ARCHIVE" }).kept).toEqual([
      { archive: cached[0], until: now + 80 * DAY_MS },
    ]);
  });

  it("prunes only superseded archives past retention, and holds those the latest manifest may list", () => {
    const cached = [
      archive("current", "f", now - 200 * DAY_MS),
      archive("expired", "f", now - 100 * DAY_MS, old(now - 50 * DAY_MS)),
      archive("young", "g", now - 10 * DAY_MS, old(now - 5 * DAY_MS)),
      archive("listed", "h", now - 100 * DAY_MS, old(now - 1 * DAY_MS)),
      archive("m", ".glacier-manifest/20260520T000000Z.jsonl", now - 12 * DAY_MS),
    ];
    const plan = planPrune(cached, "", now, {});
    expect(plan.deleteNow.map((a) => a.id)).toEqual(["expired"]);
    expect(plan.kept.map((k) => [k.archive.id, k.until])).toEqual([["young", now + 80 * DAY_MS]]);
    expect(plan.heldByManifest.map((a) => a.id)).toEqual(["listed"]);
    expect(planPrune(cached, "", now, { keepVersionsDays: 0 }).deleteNow.map((a) => a.id)).toEqual([
      "expired",
      "young",
      "listed",
    ]);
  });

  it("rebuilds what each manifest listed from the cache's history, and says when one lost an archive", () => {
    const t0 = now - 100 * DAY_MS,
      t1 = now - 20 * DAY_MS;
    const cached = [
      archive("a0", "a", t0, { ...old(t1 - 1000), deletedHere: now - DAY_MS }),
      archive("b0", "b", t0),
      archive("m0", ".glacier-manifest/20260221T000000Z.jsonl", t0 + 1000),
      archive("a1", "a", t1 - 2000),
      archive("m1", ".glacier-manifest/20260512T000000Z.jsonl", t1),
    ];
    const snapshots = listSnapshots(cached, "", {});
    expect(
      snapshots.map((s) => [s.manifest.id, s.files, s.missing.map((m) => m.archive.id), s.restorableUntil]),
    ).toEqual([
      ["m0", 2, ["a0"], "current"],
      ["m1", 2, [], "current"],
    ]);
  });
});

describe("guarded deletes", () => {
  const input = { dir: "/mnt/backup", prefix: "", localFiles: 10, livePaths: 10 };
  it("refuses an empty source, more than half of the paths, or more than --max-delete, naming the override", () => {
    expect(deleteGuard({ ...input, localFiles: 0, removedPaths: 10 })).toBe(
      "/mnt/backup has no files: refusing to remove all 10 paths in the vault with --delete-removed (is the " +
        "disk mounted?); --max-delete 10 allows it",
    );
    expect(deleteGuard({ ...input, removedPaths: 6 })).toBe(
      "refusing to remove 6 of 10 paths in the vault with --delete-removed (more than half); --max-delete 6 allows it",
    );
    expect(deleteGuard({ ...input, removedPaths: 5 })).toBeUndefined();
    expect(deleteGuard({ ...input, removedPaths: 6, maxDelete: 6 })).toBeUndefined();
    expect(deleteGuard({ ...input, removedPaths: 3, maxDelete: 2 })).toBe(
      "refusing to remove 3 paths with --delete-removed: more than --max-delete 2",
    );
  });
});
