import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { normalizePrefix } from "./archive-prefix.ts";
import { ConsoleError } from "./errors.ts";
import { DAY_MS, GB, pricesFor } from "./prices.ts";
import { GLACIER_PRICES_2026 } from "./prices/glacier-2026.ts";
import { EMPTY_TREE_HASH, planReconcile, type LocalFile, type ReconcileOptions } from "./reconcile-plan.ts";
import { MiB } from "./tree-hash.ts";
import type { CachedArchive } from "./types.ts";

const now = Date.UTC(2026, 5, 1);
const prices = pricesFor(GLACIER_PRICES_2026, "us-east-1");
const hash = (c: string) => c.repeat(64);

interface Band extends LocalFile {
  path: string;
}
const file = (name: string, treeHash: string | null, size = 8 * MiB): Band => ({
  name,
  path: `/tm/${name}`,
  size,
  treeHash,
  mtimeMs: now - DAY_MS,
});
const archive = (name: string | null, treeHash: string | null, over: Partial<CachedArchive> = {}) =>
  cachedArchive(`id-${name}`, name, {
    vault: "tm",
    treeHash,
    size: 8 * MiB,
    creationDate: now - 200 * DAY_MS,
    ...over,
  });
const options = (over: Partial<ReconcileOptions> = {}): ReconcileOptions => ({
  deleteRemoved: false,
  prefix: "",
  ...over,
});
const plan = (local: Band[], cached: CachedArchive[], over: Partial<ReconcileOptions> = {}) =>
  planReconcile({ local, cached, options: options(over), now, prices });

describe("reconcile plan", () => {
  it("sorts files into new, modified and unchanged by tree hash, and keeps the caller's fields", () => {
    const p = plan(
      [file("bands/2", hash("c")), file("bands/0", hash("a")), file("bands/1", hash("f"))],
      [archive("bands/0", hash("a")), archive("bands/1", hash("b"))],
    );
    expect(p.new.map((f) => f.path)).toEqual(["/tm/bands/2"]);
    expect(p.modified.map((m) => [m.file.name, m.oldArchive.id])).toEqual([["bands/1", "id-bands/1"]]);
    expect(p.unchanged.map((u) => [u.file.name, u.archive.id])).toEqual([["bands/0", "id-bands/0"]]);
    expect(p.counts).toEqual({ new: 1, modified: 1, unchanged: 1, unverified: 0, removed: 0, duplicates: 0 });
    expect(p.uploadBytes).toBe(16 * MiB);
    expect(p.requests).toEqual({ upload: 2, delete: 1 });
  });

  it("counts a file as modified when its size differs, even when --trust-mtime left it unhashed", () => {
    const p = plan([file("token", null, 10)], [archive("token", hash("a"), { size: 11 })]);
    expect(p.modified.map((m) => m.file.name)).toEqual(["token"]);
  });

  it("counts an unhashed file of the same size as unchanged (--trust-mtime matched)", () => {
    const p = plan([file("token", null)], [archive("token", hash("a"))]);
    expect(p.unchanged.map((u) => u.file.name)).toEqual(["token"]);
  });

  it("does not upload again a file whose cached archive has no hash or the fork's empty-input hash", () => {
    const p = plan(
      [file("a", hash("a")), file("b", hash("b")), file("empty", EMPTY_TREE_HASH, 0)],
      [archive("a", null), archive("b", EMPTY_TREE_HASH), archive("empty", EMPTY_TREE_HASH, { size: 0 })],
    );
    expect(p.unverified.map((u) => [u.file.name, u.reason])).toEqual([
      ["a", "no-hash"],
      ["b", "empty-input-hash"],
    ]);
    expect(p.unchanged.map((u) => u.file.name)).toEqual(["empty"]);
    expect(p.requests).toEqual({ upload: 0, delete: 0 });
  });

  it("compares with the newest live archive of a name and lists the older ones", () => {
    const old = archive("Info.plist", hash("a"), { id: "old", creationDate: now - 300 * DAY_MS });
    const newest = archive("Info.plist", hash("b"), { id: "new", creationDate: now - 10 * DAY_MS });
    const gone = archive("Info.plist", hash("c"), { id: "gone", creationDate: now, deletedHere: now });
    const p = plan([file("Info.plist", hash("b"))], [old, gone, newest]);
    expect(p.unchanged.map((u) => u.archive.id)).toEqual(["new"]);
    expect(p.duplicates).toEqual([{ name: "Info.plist", newest, older: [old] }]);
    expect(p.removed).toEqual([]);
  });

  it("reports live archives missing on disk as removed, deleting them only with --delete-removed", () => {
    const cached = [archive("bands/9", hash("9"))];
    expect(plan([], cached).removed.map((r) => r.archive.id)).toEqual(["id-bands/9"]);
    expect(plan([], cached).requests.delete).toBe(0);
    expect(plan([], cached, { deleteRemoved: true }).requests.delete).toBe(1);
  });

  it("looks only at archives under the prefix", () => {
    const p = plan(
      [file("mac/bands/0", hash("a"))],
      [
        archive("mac/bands/0", hash("a")),
        archive("mac/bands/1", hash("b")),
        archive("macbook/x", hash("c")),
        archive("other", hash("d")),
        archive(null, hash("e")),
      ],
      { prefix: normalizePrefix("mac") },
    );
    expect(p.removed.map((r) => r.archive.name)).toEqual(["mac/bands/1"]);
  });

  it("does not count manifest archives as files removed from disk", () => {
    const p = plan([], [archive(".glacier-manifest/20260601T000000Z.jsonl", hash("m"))], { deleteRemoved: true });
    expect(p.removed).toEqual([]);
  });

  it("estimates upload requests, a month of storage and early deletion of young replaced archives", () => {
    const p = plan(
      [file("big", hash("b"), GB), file("young", hash("y"), GB), file("old", hash("o"), GB)],
      [
        archive("young", hash("x"), { size: GB, creationDate: now - 30 * DAY_MS }),
        archive("old", hash("x"), { size: GB, creationDate: now - 100 * DAY_MS }),
        archive("removed", hash("r"), { size: 2 * GB, creationDate: null, createdHere: now - 75 * DAY_MS }),
      ],
      { deleteRemoved: true, retention: { keepVersionsDays: 0 } },
    );
    // 1 GiB in 8 MiB parts: initiate + 128 parts + complete.
    expect(p.requests).toEqual({ upload: 3 * 130, delete: 3 });
    expect(p.cost.uploadRequests).toBeCloseTo(390 * 0.00005, 12);
    expect(p.cost.storagePerMonth).toBeCloseTo(((3 * GB + 3 * 32768) / GB) * 0.004, 12);
    // young: 60 days left of 1 GiB = 0.008; removed: 15 days left of 2 GiB = 0.004; old: none.
    expect(p.cost.earlyDeletion).toBeCloseTo(0.012, 12);
    expect(p.cost.earlyDeletionArchives).toBe(2);
    expect(p.cost.oneOff).toBeCloseTo(0.012 + 390 * 0.00005, 12);
  });

  it("leaves archives of unknown age or size out of the early-deletion estimate and counts them", () => {
    const p = plan([], [archive("a", hash("a"), { creationDate: null }), archive("b", hash("b"), { size: null })], {
      deleteRemoved: true,
      retention: { keepVersionsDays: 0 },
    });
    expect(p.cost).toMatchObject({ earlyDeletion: 0, earlyDeletionArchives: 0, unknownAgeArchives: 2 });
  });

  it("uses --part-size for the request count when given", () => {
    expect(plan([file("a", hash("a"), 8 * MiB)], [], { partSize: MiB }).requests.upload).toBe(10);
  });

  it("refuses two local files with one archive name", () => {
    expect(() => plan([file("a", hash("a")), file("a", hash("b"))], [])).toThrow(
      new ConsoleError("two local files have the archive name a"),
    );
  });
});
