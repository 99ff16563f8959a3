import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { DAY_MS, GB, pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";
import { APPLY_HINT, formatReconcileChanges, formatReconcilePlan } from "./reconcile-format.ts";
import { EMPTY_TREE_HASH, planReconcile, type LocalFile } from "./reconcile-plan.ts";
import { MiB } from "./tree-hash.ts";
import type { CachedArchive } from "./types.ts";

const now = Date.UTC(2026, 5, 1);
const h = (c: string) => c.repeat(64);
const file = (name: string, treeHash: string | null, size = 8 * MiB): LocalFile => ({
  name,
  size,
  treeHash,
  mtimeMs: 0,
});
const archive = (name: string, treeHash: string | null, over: Partial<CachedArchive> = {}) =>
  cachedArchive(`id-${name}`, name, { vault: "tm", treeHash, size: 8 * MiB, creationDate: now - 30 * DAY_MS, ...over });
const plan = (
  local: LocalFile[],
  cached: CachedArchive[],
  deleteRemoved = false,
  region = "us-east-1",
  keepVersionsDays?: number,
) => {
  const retention = keepVersionsDays === undefined ? {} : { retention: { keepVersionsDays } };
  return planReconcile({
    local,
    cached,
    options: { deleteRemoved, prefix: "", ...retention },
    now,
    prices: pricesFor(GLACIER_PRICES_2026, region),
  });
};

const sparsebundle = (keepVersionsDays?: number) =>
  plan(
    [file("bands/0", h("a")), file("bands/1", h("x")), file("bands/2", h("c"), GB), file("Info.plist", h("d"), 1000)],
    [
      archive("bands/0", h("a")),
      archive("bands/1", h("b")),
      archive("bands/9", h("9"), { creationDate: now - 10 * DAY_MS }),
    ],
    false,
    "us-east-1",
    keepVersionsDays,
  );

describe("reconcile plan text", () => {
  it(
    "prints counts, bytes, the old versions kept and until when, requests and cost, and ends with how to apply " +
      "the plan",
    () => {
      expect(formatReconcilePlan(sparsebundle(), { commit: false, vault: "tm" })).toEqual([
        { level: "info", text: "Reconciliation plan:" },
        { level: "info", text: "  new: 2 files, 1073742824 bytes (1.0 GiB)" },
        {
          level: "info",
          text:
            "  modified: 1 file, 8388608 bytes (8.0 MiB); " +
            "each old version is kept after its replacement is uploaded",
        },
        { level: "info", text: "  unchanged: 1 file" },
        {
          level: "info",
          text:
            "  old versions: 1 kept, 8388608 bytes (8.0 MiB), until 90 days after upload (the first may go on " +
            "2026-07-31); none deleted now",
        },
        { level: "info", text: "Upload: 3 files, 1082131432 bytes (1.0 GiB), 132 requests; delete: 0 archives" },
        {
          level: "info",
          text:
            "Estimated cost at us-east-1 prices of 2026-11-27: $0.0066 now (upload requests $0.0066), then " +
            "$0.0040 per month for the new storage; keeping the old versions past their minimum period would " +
            "cost <$0.0001 per month",
        },
        { level: "warning", text: "1 archive in the cache but not on disk, kept (--delete-removed deletes them)" },
        { level: "info", text: APPLY_HINT },
      ]);
      expect(APPLY_HINT).toBe("use --commit to perform these changes");
    },
  );

  it("with --keep-versions 0 deletes the replaced archive at once and prices its early deletion", () => {
    expect(formatReconcilePlan(sparsebundle(0), { commit: false, vault: "tm" })).toEqual([
      { level: "info", text: "Reconciliation plan:" },
      { level: "info", text: "  new: 2 files, 1073742824 bytes (1.0 GiB)" },
      {
        level: "info",
        text:
          "  modified: 1 file, 8388608 bytes (8.0 MiB); each old archive is deleted after its replacement is " +
          "uploaded",
      },
      { level: "info", text: "  unchanged: 1 file" },
      {
        level: "info",
        text: "  old versions: none kept; 1 deleted now, 8388608 bytes (8.0 MiB) (with early-deletion fee)",
      },
      { level: "info", text: "Upload: 3 files, 1082131432 bytes (1.0 GiB), 132 requests; delete: 1 archive" },
      {
        level: "info",
        text:
          "Estimated cost at us-east-1 prices of 2026-11-27: $0.0067 now (upload requests $0.0066, early " +
          "deletion of 1 archive younger than 90 days <$0.0001), then $0.0040 per month for the new storage",
      },
      { level: "warning", text: "1 archive in the cache but not on disk, kept (--delete-removed deletes them)" },
      { level: "info", text: APPLY_HINT },
    ]);
  });

  it("does not print the hint when committing", () => {
    const lines = formatReconcilePlan(sparsebundle(), { commit: true, vault: "tm" });
    expect(lines[0]).toEqual({ level: "info", text: "Reconciling:" });
    expect(lines.at(-1)).toEqual({
      level: "warning",
      text: "1 archive in the cache but not on disk, kept (--delete-removed deletes them)",
    });
  });

  it("lists removed archives as deleted with --delete-removed and names the price region it fell back to", () => {
    const p = plan([], [archive("x", null, { creationDate: null })], true, "sa-east-1", 0);
    expect(formatReconcilePlan(p, { commit: false, vault: "tm" }).map((l) => l.text)).toEqual([
      "Reconciliation plan:",
      "  new: 0 files, 0 bytes",
      "  modified: 0 files, 0 bytes",
      "  unchanged: 0 files",
      "  removed: 1 archive, 8388608 bytes (8.0 MiB); deleted",
      "  old versions: none kept; 1 deleted now, 8388608 bytes (8.0 MiB) (age unknown)",
      "Upload: 0 files, 0 bytes, 0 requests; delete: 1 archive",
      "Estimated cost at us-east-1 prices of 2026-11-27 (none listed for sa-east-1): $0.00 now (upload " +
        "requests $0.00, 1 archive of unknown age not counted), then $0.00 per month for the new storage",
      "use --commit to perform these changes",
    ]);
  });

  it("says there is nothing to do, and why some files were not compared", () => {
    const p = plan([file("a", h("a")), file("b", h("b"))], [archive("a", h("a")), archive("b", EMPTY_TREE_HASH)]);
    expect(formatReconcilePlan(p, { commit: false, vault: "tm" })).toEqual([
      { level: "info", text: "Nothing to do: 1 file unchanged" },
      {
        level: "warning",
        text:
          "1 file not compared: the cache has no usable tree hash for its archive; run `glacier vault sync " +
          "--fix tm` to learn the real ones",
      },
    ]);
  });

  it("supersedes the older archive of a name with several, and deletes it when past its 90 days (no fee)", () => {
    const p = plan(
      [file("a", h("a"))],
      [archive("a", h("a")), archive("a", h("a"), { id: "older", creationDate: now - 99 * DAY_MS })],
    );
    expect(p.supersede.map((a) => a.id)).toEqual(["older"]);
    expect(formatReconcilePlan(p, { commit: true, vault: "tm" }).map((l) => l.text)).toEqual([
      "Reconciling:",
      "  new: 0 files, 0 bytes",
      "  modified: 0 files, 0 bytes",
      "  unchanged: 1 file",
      "  old versions: none kept; 1 deleted now, 8388608 bytes (8.0 MiB) (no early-deletion fee)",
      "Upload: 0 files, 0 bytes, 0 requests; delete: 1 archive",
      "Estimated cost at us-east-1 prices of 2026-11-27: $0.00 now (upload requests $0.00), then $0.00 per " +
        "month for the new storage",
      "1 name with several live archives: the newest of each was compared, the older ones are old versions now",
    ]);
  });

  it("lists every change on its own line, quoting names with control characters", () => {
    const p = plan(
      [file("bands/1", h("x")), file("new\nline", h("n"))],
      [archive("bands/1", h("b")), archive("gone", h("g"))],
    );
    expect(formatReconcileChanges(p).map((l) => l.text)).toEqual([
      'new "new\\nline"',
      "modified bands/1",
      "not on disk gone",
    ]);
  });
});
