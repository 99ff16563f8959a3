import { describe, expect, it } from "vitest";
import { INVENTORY_LAG_MS, STALE_INTENT_MS, planSync, type SingleUploadIntent, type SyncInput } from "./sync-plan.ts";
import type { CachedArchive, InventoryArchive } from "./types.ts";

const H = 3600_000;
const D = 24 * H;
const now = Date.UTC(2026, 5, 10);
const inventoryDate = now - 5 * D;
const jobCreationDate = now - 4 * H;
const seen = jobCreationDate - INVENTORY_LAG_MS; // later than inventoryDate here
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

const input = (cached: CachedArchive[], fix = false): SyncInput => ({
  cached,
  vault: "v",
  inventoryDate,
  jobCreationDate,
  now,
  fix,
});
const row = (id: string, over: Partial<CachedArchive> = {}): CachedArchive => ({
  id,
  vault: "v",
  name: id.toLowerCase(),
  treeHash: HASH_A,
  size: 5,
  lastSeenUpstream: null,
  createdHere: now - 10 * D,
  deletedHere: null,
  creationDate: now - 10 * D,
  ...over,
});
const archive = (id: string, over: Partial<InventoryArchive> = {}): InventoryArchive => ({
  archiveId: id,
  description: id.toLowerCase(),
  creationDate: now - 10 * D,
  size: 5,
  treeHash: HASH_A,
  ...over,
});
const texts = (plan: ReturnType<typeof planSync>) => plan.messages.map((m) => `${m.level}: ${m.text}`);

describe("vault sync plan", () => {
  it("computes INVENTORY_LAG as three days", () => {
    expect(INVENTORY_LAG_MS).toBe(259_200_000);
  });

  it("inserts an archive the cache does not know, with its decoded name, hash and seen time", () => {
    const plan = planSync(input([]), [archive("X", { description: "gcli1 Y2Fmw6kK", treeHash: HASH_B })]);
    expect(plan.inserts).toEqual([
      {
        id: "X",
        vault: "v",
        name: "café\n",
        treeHash: HASH_B,
        size: 5,
        lastSeenUpstream: seen,
        createdHere: now,
        deletedHere: null,
        creationDate: now - 10 * D,
      },
    ]);
    expect(texts(plan)).toEqual(["warning: archive café\n (X) present upstream but not in cache - added"]);
  });

  it("uses InventoryDate as the seen time when it is later than the job creation minus the lag", () => {
    const plan = planSync({ ...input([]), inventoryDate: now - D }, [archive("X")]);
    expect(plan.inserts[0]!.lastSeenUpstream).toBe(now - D);
  });

  it("only refreshes the seen time of an archive that matches its row", () => {
    const plan = planSync(input([row("A")]), [archive("A")]);
    expect(plan).toEqual({
      inserts: [],
      updates: [{ id: "A", set: { lastSeenUpstream: seen } }],
      removals: [],
      deletions: [],
      closedIntents: [],
      messages: [],
    });
  });

  it("adopts the description, hash and size of a row that has none", () => {
    const plan = planSync(input([row("A", { name: null, treeHash: null, size: null })]), [
      archive("A", { description: "mt2 x" }),
    ]);
    expect(plan.updates).toEqual([
      { id: "A", set: { name: "mt2 x", treeHash: HASH_A, size: 5, lastSeenUpstream: seen } },
    ]);
    expect(plan.messages).toEqual([]);
  });

  it("warns about a changed name and changes it only with --fix", () => {
    const warned = planSync(input([row("A", { name: "old" })]), [archive("A", { description: "new" })]);
    expect(texts(warned)).toEqual(["warning: archive 'A' appears to have changed name from 'old' to 'new'"]);
    expect(warned.updates[0]!.set).toEqual({ lastSeenUpstream: seen });
    const fixed = planSync(input([row("A", { name: "old" })], true), [archive("A", { description: "new" })]);
    expect(texts(fixed)).toEqual(["warning: archive 'A' appears to have changed name from 'old' to 'new' (fixed)"]);
    expect(fixed.updates[0]!.set).toEqual({ name: "new", lastSeenUpstream: seen });
  });

  it("warns about a different hash with the fork's text and corrects it with --fix", () => {
    const warned = planSync(input([row("A")]), [archive("A", { treeHash: HASH_B, size: 6 })]);
    expect(texts(warned)).toEqual(["warning: archive a upstream hash does not match cache hash"]);
    expect(warned.updates[0]!.set).toEqual({ lastSeenUpstream: seen });
    const fixed = planSync(input([row("A")], true), [archive("A", { treeHash: HASH_B, size: 6 })]);
    expect(texts(fixed)).toEqual(["warning: archive a upstream hash does not match cache hash (fixed)"]);
    expect(fixed.updates[0]!.set).toEqual({ treeHash: HASH_B, size: 6, lastSeenUpstream: seen });
  });

  it("warns about a deleted archive still in an inventory taken after the deletion", () => {
    const plan = planSync(input([row("A", { deletedHere: inventoryDate - 1 })]), [archive("A")]);
    expect(texts(plan)).toEqual(["warning: archive 'a' marked deleted but still present"]);
    expect(plan.removals).toEqual([]);
  });

  it("says a deletion is not yet in an inventory taken before it", () => {
    const plan = planSync(input([row("A", { deletedHere: inventoryDate })]), [archive("A")]);
    expect(texts(plan)).toEqual(["warning: archive 'a' deletion not yet in inventory"]);
  });

  it("removes a deleted archive once it has left the inventory", () => {
    const plan = planSync(input([row("A", { deletedHere: inventoryDate - 1 })]), []);
    expect(plan.removals).toEqual(["A"]);
    expect(texts(plan)).toEqual(["info: deleted archive 'a' has left inventory; removed from cache"]);
  });

  it("says nothing about a deleted archive missing from an inventory older than the deletion", () => {
    expect(planSync(input([row("A", { deletedHere: inventoryDate + 1, createdHere: inventoryDate + 1 })]), [])).toEqual(
      {
        inserts: [],
        updates: [],
        removals: [],
        deletions: [],
        closedIntents: [],
        messages: [],
      },
    );
  });

  it("reports an archive seen before and now missing as disappeared, removing it only with --fix", () => {
    const cached = [row("A", { lastSeenUpstream: now - 5 * D, name: "it's" })];
    expect(texts(planSync(input(cached), []))).toEqual([`warning: archive disappeared: "it's"`]);
    expect(planSync(input(cached), []).removals).toEqual([]);
    const fixed = planSync(input(cached, true), []);
    expect(texts(fixed)).toEqual([`warning: archive disappeared: "it's" (removed from cache)`]);
    expect(fixed.removals).toEqual(["A"]);
  });

  it("reports an archive uploaded here more than the lag before the inventory as disappeared", () => {
    const cached = [row("A", { createdHere: inventoryDate - INVENTORY_LAG_MS - 1, name: null })];
    expect(texts(planSync(input(cached), []))).toEqual(["warning: archive disappeared: 'id:A'"]);
  });

  it("treats an archive uploaded here within the lag as not yet in the inventory", () => {
    const cached = [row("A", { createdHere: inventoryDate - INVENTORY_LAG_MS })];
    expect(texts(planSync(input(cached, true), []))).toEqual(["warning: new archive not yet in inventory: 'a'"]);
  });

  it("counts an archive listed twice in an inventory once", () => {
    const plan = planSync(input([]), [archive("X"), archive("X")]);
    expect(plan.inserts).toHaveLength(1);
  });

  describe("archives of uploads killed before they heard back (open single-upload intents)", () => {
    const intent = (uploadId: string, over: Partial<SingleUploadIntent> = {}): SingleUploadIntent => ({
      uploadId,
      name: "f",
      size: 5,
      treeHash: HASH_A,
      startedAt: now - D,
      ...over,
    });
    const withIntents = (cached: CachedArchive[], intents: SingleUploadIntent[]): SyncInput => ({
      ...input(cached),
      intents,
    });

    it("deletes the orphan when the file was uploaded again, records it as deleted, and closes the intent", () => {
      const plan = planSync(withIntents([row("R", { name: "f" })], [intent("single:1")]), [
        archive("R", { description: "f" }),
        archive("O", { description: "f" }),
      ]);
      expect(plan.deletions).toEqual([
        {
          id: "O",
          vault: "v",
          name: "f",
          treeHash: HASH_A,
          size: 5,
          lastSeenUpstream: seen,
          createdHere: now,
          deletedHere: now,
          creationDate: now - 10 * D,
        },
      ]);
      expect(plan.inserts).toEqual([]);
      expect(plan.closedIntents).toEqual(["single:1"]);
      expect(texts(plan)).toEqual(["info: deleted duplicate left by an interrupted upload: f (O)"]);
    });

    it("adopts the orphan as the file's archive when there is no other, and deletes further copies", () => {
      const plan = planSync(withIntents([], [intent("single:1"), intent("single:2")]), [
        archive("O1", { description: "f" }),
        archive("O2", { description: "f" }),
      ]);
      expect(plan.inserts.map((r) => [r.id, r.name, r.deletedHere])).toEqual([["O1", "f", null]]);
      expect(plan.deletions.map((r) => r.id)).toEqual(["O2"]);
      expect(plan.closedIntents).toEqual(["single:1", "single:2"]);
      expect(texts(plan)).toEqual([
        "info: recorded archive left by an interrupted upload: f (O1)",
        "info: deleted duplicate left by an interrupted upload: f (O2)",
      ]);
    });

    it("does not take an archive of another size, hash or name for an orphan", () => {
      const intents = [intent("single:1")];
      for (const other of [{ size: 6 }, { treeHash: HASH_B }, { description: "g" }]) {
        const plan = planSync(withIntents([row("R", { name: "f" })], intents), [
          archive("R", { description: "f" }),
          archive("X", { description: "f", ...other }),
        ]);
        expect(plan.deletions).toEqual([]);
        expect(plan.closedIntents).toEqual([]);
        expect(texts(plan)).toEqual([
          `warning: archive ${other.description ?? "f"} (X) present upstream but not in cache - added`,
        ]);
      }
    });

    it("does not count a deleted row as the re-upload", () => {
      const plan = planSync(withIntents([row("R", { name: "f", deletedHere: now - D })], [intent("single:1")]), [
        archive("O", { description: "f" }),
      ]);
      expect(plan.inserts.map((r) => r.id)).toEqual(["O"]);
      expect(plan.deletions).toEqual([]);
    });

    it("closes an intent older than 30 days that no inventory archive matches, and keeps a younger one", () => {
      const old = intent("single:old", { startedAt: now - STALE_INTENT_MS - 1 });
      const young = intent("single:young", { startedAt: now - STALE_INTENT_MS + 1 });
      const plan = planSync(withIntents([], [old, young]), []);
      expect(plan.closedIntents).toEqual(["single:old"]);
      expect(texts(plan)).toEqual([
        `info: forgot an upload of f interrupted on ${new Date(old.startedAt).toISOString()}: no unrecorded ` +
          `archive of it in inventory`,
      ]);
    });
  });
});
