import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSqlJs } from "../../src/cache/sqlite.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { EU_WEST, archiveId, hashOf, open } from "./helpers.ts";

describe("archive cache queries", () => {
  it("finds a recorded upload by bare name, name: and id: refs after reopening", async () => {
    const dir = await tempDir();
    const { cache, clock } = await open(dir);
    await cache.recordUpload("photos", { id: archiveId(1), name: "2019.tar", treeHash: hashOf(1), size: 10 });
    await cache.close();
    const again = (await open(dir, { clock })).cache;
    for (const ref of ["2019.tar", "name:2019.tar", `id:${archiveId(1)}`]) {
      const found = await again.lookup("photos", ref);
      expect(found.map((a) => [a.id, a.name, a.treeHash, a.size, a.createdHere])).toEqual([
        [archiveId(1), "2019.tar", hashOf(1), 10, Date.UTC(2026, 0, 1)],
      ]);
    }
    expect(await again.lookup("photos", "id:2019.tar")).toEqual([]);
    expect(await again.lookup("other-vault", "2019.tar")).toEqual([]);
    await again.close();
  });

  it("returns every live archive of a duplicated name so the caller can refuse the ambiguity", async () => {
    const { cache } = await open(await tempDir());
    await Promise.all(
      [1, 2].map((n) => cache.recordUpload("v", { id: archiveId(n), name: "same", treeHash: null, size: null })),
    );
    expect((await cache.lookup("v", "same")).map((a) => a.id)).toEqual([archiveId(1), archiveId(2)]);
    await cache.close();
  });

  it(
    "keeps superseded records across reopening, lists them on the archives, and resolves a name to its current " +
      "version",
    async () => {
      const dir = await tempDir();
      const { cache, clock } = await open(dir);
      await cache.recordUpload("v", { id: archiveId(1), name: "band", treeHash: hashOf(1), size: 1 });
      await cache.recordUpload("v", { id: archiveId(2), name: "band", treeHash: hashOf(2), size: 1 });
      await cache.markSuperseded("v", [archiveId(1)]);
      await cache.markSuperseded("v", [archiveId(1)], ".glacier-manifest/20260101T000000Z.jsonl");
      await cache.close();
      const again = (await open(dir, { clock })).cache;
      expect((await again.list("v")).map((a) => [a.id, a.superseded])).toEqual([
        [archiveId(1), { at: Date.UTC(2026, 0, 1), manifest: ".glacier-manifest/20260101T000000Z.jsonl" }],
        [archiveId(2), undefined],
      ]);
      expect((await again.lookup("v", "band")).map((a) => a.id)).toEqual([archiveId(2)]);
      expect((await again.get("v", archiveId(1)))?.superseded?.manifest).toBe(
        ".glacier-manifest/20260101T000000Z.jsonl",
      );
      await again.close();
    },
  );

  it("lists by name with NULL names first and ties in upload order, deleted rows only on request", async () => {
    const { cache, clock } = await open(await tempDir());
    await cache.recordUpload("v", { id: archiveId(1), name: "b", treeHash: null, size: 1 });
    await cache.recordUpload("v", { id: archiveId(2), name: null, treeHash: null, size: 1 });
    await cache.recordUpload("v", { id: archiveId(3), name: "a", treeHash: null, size: 1 });
    await cache.recordUpload("v", { id: archiveId(4), name: "b", treeHash: null, size: 1 });
    await cache.recordUpload("v", { id: archiveId(5), name: "c", treeHash: null, size: 1 });
    clock.advance(5000);
    const deleted = await cache.markDeleted("v", archiveId(5));
    expect(deleted?.deletedHere).toBe(Date.UTC(2026, 0, 1) + 5000);
    expect((await cache.list("v")).map((a) => a.id)).toEqual([2, 3, 1, 4].map(archiveId));
    expect((await cache.list("v", { includeDeleted: true })).map((a) => a.id)).toEqual([2, 3, 1, 4, 5].map(archiveId));
    expect(await cache.lookup("v", "c")).toEqual([]);
    expect((await cache.get("v", archiveId(5)))?.name).toBe("c");
    expect(await cache.markDeleted("v", archiveId(99))).toBeUndefined();
    await cache.close();
  });

  it("orders a small vault the same way when it shares the table with a much larger one", async () => {
    const { cache } = await open(await tempDir());
    await cache.applySync(
      "big",
      Array.from({ length: 40 }, (_, n) => ({
        kind: "insert" as const,
        id: archiveId(100 + n),
        name: `x${n}`,
        treeHash: null,
        size: 1,
        creationDate: null,
        lastSeenUpstream: 1,
      })),
    );
    for (const [n, name] of [
      [1, "b"],
      [2, null],
      [3, "a"],
      [4, "b"],
    ] as const) {
      await cache.recordUpload("small", { id: archiveId(n), name, treeHash: null, size: 1 });
    }
    expect((await cache.list("small")).map((a) => a.id)).toEqual([2, 3, 1, 4].map(archiveId));
    expect((await cache.list("big")).length).toBe(40);
    await cache.close();
  });

  it("finds live archives by tree hash and size, ignoring other sizes and deleted ones", async () => {
    const { cache } = await open(await tempDir());
    await cache.recordUpload("v", { id: archiveId(1), name: "x", treeHash: hashOf(7).toUpperCase(), size: 100 });
    await cache.recordUpload("v", { id: archiveId(2), name: "y", treeHash: hashOf(7), size: 200 });
    await cache.recordUpload("v", { id: archiveId(3), name: "z", treeHash: hashOf(7), size: 100 });
    await cache.markDeleted("v", archiveId(3));
    expect((await cache.byTreeHash("v", hashOf(7), 100)).map((a) => a.id)).toEqual([archiveId(1)]);
    expect(await cache.byTreeHash("v", hashOf(8), 100)).toEqual([]);
    await cache.close();
  });

  it("applies an inventory reconciliation's inserts, updates and removals in one step", async () => {
    const { cache, clock } = await open(await tempDir());
    await cache.recordUpload("v", { id: archiveId(1), name: null, treeHash: null, size: null });
    await cache.recordUpload("v", { id: archiveId(2), name: "gone", treeHash: null, size: null });
    clock.advance(60_000);
    const seen = Date.UTC(2025, 11, 29);
    await cache.applySync("v", [
      { kind: "update", id: archiveId(1), set: { name: "adopted", lastSeenUpstream: seen, treeHash: hashOf(1) } },
      { kind: "remove", id: archiveId(2) },
      {
        kind: "insert",
        id: archiveId(3),
        name: "new",
        treeHash: hashOf(3),
        size: 3,
        creationDate: Date.UTC(2025, 0, 1),
        lastSeenUpstream: seen,
      },
    ]);
    const rows = await cache.list("v", { includeDeleted: true });
    expect(rows.map((a) => [a.id, a.name, a.lastSeenUpstream, a.treeHash])).toEqual([
      [archiveId(1), "adopted", seen, hashOf(1)],
      [archiveId(3), "new", seen, hashOf(3)],
    ]);
    expect(rows[1]?.createdHere).toBe(Date.UTC(2026, 0, 1) + 60_000);
    expect(rows[1]?.creationDate).toBe(Date.UTC(2025, 0, 1));
    await cache.close();
  });

  it("keeps a deletion made after the sync was planned: updates never resurrect a row", async () => {
    const { cache } = await open(await tempDir());
    await cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: null });
    await cache.markDeleted("v", archiveId(1));
    await cache.applySync("v", [
      {
        kind: "insert",
        id: archiveId(1),
        name: "a",
        treeHash: null,
        size: null,
        creationDate: null,
        lastSeenUpstream: 1000,
      },
    ]);
    const row = await cache.get("v", archiveId(1));
    expect(row?.deletedHere).not.toBeNull();
    expect(row?.lastSeenUpstream).toBe(1000);
    await cache.close();
  });

  it("keeps regions apart: the same vault name in two regions shares nothing", async () => {
    const dir = await tempDir();
    const us = (await open(dir)).cache;
    const eu = (await open(dir, { namespace: EU_WEST })).cache;
    const local = (await open(dir, { namespace: { region: "us-east-1", endpoint: "local:/srv/vaults" } })).cache;
    await us.recordUpload("v", { id: archiveId(1), name: "a", treeHash: null, size: 1 });
    await eu.recordUpload("v", { id: archiveId(2), name: "a", treeHash: null, size: 2 });
    expect((await us.lookup("v", "a")).map((a) => a.size)).toEqual([1]);
    expect((await eu.lookup("v", "a")).map((a) => a.size)).toEqual([2]);
    expect(await local.list("v")).toEqual([]);
    await Promise.all([us.close(), eu.close(), local.close()]);
  });

  it("keeps upload intents and their parts until finished, then records the archive with it", async () => {
    const { cache } = await open(await tempDir());
    await cache.recordUploadIntent({
      vault: "v",
      uploadId: "up-1",
      name: "big.img",
      localPath: "/data/big.img",
      size: 3 << 20,
      partSize: 1 << 20,
      treeHash: hashOf(9),
    });
    await Promise.all(
      [2, 0].map((k) => cache.recordPart("up-1", { start: k << 20, length: 1 << 20, treeHash: hashOf(k) })),
    );
    const [intent] = await cache.uploadIntents("v");
    expect(intent).toMatchObject({
      uploadId: "up-1",
      name: "big.img",
      localPath: "/data/big.img",
      partSize: 1 << 20,
      startedAt: Date.UTC(2026, 0, 1),
    });
    expect(intent?.parts.map((p) => p.start)).toEqual([0, 2 << 20]);
    const archive = await cache.finishUploadIntent("v", "up-1", {
      id: archiveId(1),
      name: "big.img",
      treeHash: hashOf(9),
      size: 3 << 20,
    });
    expect(archive?.id).toBe(archiveId(1));
    expect(await cache.uploadIntents("v")).toEqual([]);
    expect((await cache.lookup("v", "big.img")).length).toBe(1);
    await cache.close();
  });

  it("writes a glacier-cli readable file: unix seconds in its columns, 0600 files in a 0700 folder", async () => {
    const dir = join(await tempDir(), "glacier-cli");
    const { cache } = await open(dir);
    await cache.recordUpload("v", { id: archiveId(1), name: "a", treeHash: hashOf(1), size: 5 });
    await cache.checkpoint();
    await cache.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of ["db", "journal"]) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(join(dir, "db")));
    // glacier-cli's own query (docs/compatibility.md#archive-refs) with our namespace key in its key column.
    const rows = db.exec(
      "SELECT id, name, created_here, deleted_here, hash FROM archive WHERE key = 'glacier:us-east-1' AND " +
        "vault = 'v' AND deleted_here IS NULL",
    );
    expect(rows[0]?.values).toEqual([[archiveId(1), "a", Date.UTC(2026, 0, 1) / 1000, null, hashOf(1)]]);
    db.close();
  });
});
