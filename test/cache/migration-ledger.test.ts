import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/core/errors.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/cache/schema.ts";
import { loadSqlJs } from "../../src/cache/sqlite.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { EU_WEST, archiveId, hashOf, open } from "./helpers.ts";

const T0 = Date.UTC(2026, 0, 1);
const planned = (n: number, targetKey = `pre/f${n}`) => ({
  archiveId: archiveId(n),
  state: "planned" as const,
  bucket: "b",
  targetKey,
  treeHash: hashOf(n),
  size: n * 100,
});

describe("migration ledger", () => {
  it("records an archive's way from planned to verified with the time of each step, across reopening", async () => {
    const dir = await tempDir();
    const { cache, clock } = await open(dir);
    await cache.recordMigration("v", [planned(1), planned(2)]);
    clock.advance(1000);
    await cache.recordMigration("v", [{ archiveId: archiveId(1), state: "requested", jobId: "job-1" }]);
    clock.advance(1000);
    await cache.recordMigration("v", [{ archiveId: archiveId(1), state: "retrieved" }]);
    await cache.recordMigration("v", [{ archiveId: archiveId(1), state: "uploading", uploadId: "up-1" }]);
    clock.advance(1000);
    const [verified] = await cache.recordMigration("v", [
      { archiveId: archiveId(1), state: "verified", s3Checksum: "sha256:abc-2" },
    ]);
    expect(verified).toEqual({
      vault: "v",
      archiveId: archiveId(1),
      bucket: "b",
      targetKey: "pre/f1",
      state: "verified",
      jobId: "job-1",
      uploadId: "up-1",
      treeHash: hashOf(1),
      s3Checksum: "sha256:abc-2",
      size: 100,
      times: { planned: T0, requested: T0 + 1000, retrieved: T0 + 2000, uploading: T0 + 2000, verified: T0 + 3000 },
    });
    await cache.close();
    const again = (await open(dir, { clock })).cache;
    expect(await again.migrations("v")).toEqual([
      verified,
      expect.objectContaining({ archiveId: archiveId(2), state: "planned", jobId: null, times: { planned: T0 } }),
    ]);
    expect((await again.migrations("v", "planned")).map((e) => e.archiveId)).toEqual([archiveId(2)]);
    expect(await again.migrations("other")).toEqual([]);
    await again.close();
  });

  it("writes a batch of changes as one journal record that a reopened cache replays", async () => {
    const dir = await tempDir();
    const { cache, clock } = await open(dir);
    await cache.recordMigration("v", [planned(1), planned(2), planned(3)]);
    const lines = readFileSync(join(dir, "journal"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect((JSON.parse(lines[1]!) as { t: { op: string }[] }).t.map((op) => op.op)).toEqual([
      "migration",
      "migration",
      "migration",
    ]);
    // Replaying the same record again (a crash between checkpoint and journal reset) changes nothing.
    writeFileSync(join(dir, "journal"), `${lines[0]}\n${lines[1]}\n${lines[1]}\n`);
    const again = (await open(dir, { clock })).cache;
    expect((await again.migrations("v")).map((e) => e.targetKey)).toEqual(["pre/f1", "pre/f2", "pre/f3"]);
    await again.close();
    await cache.close();
  });

  it("lets an expired job go back to requested, and moves a target only before the upload starts", async () => {
    const { cache } = await open(await tempDir());
    await cache.recordMigration("v", [planned(1)]);
    await cache.recordMigration("v", [{ archiveId: archiveId(1), state: "retrieved", jobId: "old-job" }]);
    await cache.recordMigration("v", [
      { archiveId: archiveId(1), state: "requested", jobId: "new-job", targetKey: "pre/g" },
    ]);
    await cache.recordMigration("v", [{ archiveId: archiveId(1), state: "uploading", uploadId: "u" }]);
    await expect(
      cache.recordMigration("v", [{ archiveId: archiveId(1), state: "uploading", targetKey: "pre/other" }]),
    ).rejects.toThrow("its target cannot change while it is being uploaded");
    expect((await cache.migrations("v"))[0]).toMatchObject({
      state: "uploading",
      jobId: "new-job",
      targetKey: "pre/g",
    });
    await cache.close();
  });

  it("refuses, writing nothing, to move a verified or deleted archive back or to start one untargeted", async () => {
    const { cache } = await open(await tempDir());
    await cache.recordMigration("v", [planned(1), { ...planned(2), state: "verified" }]);
    await expect(
      cache.recordMigration("v", [
        { archiveId: archiveId(1), state: "requested" },
        { archiveId: archiveId(2), state: "uploading" },
      ]),
    ).rejects.toThrow(CacheError);
    expect((await cache.migrations("v")).map((e) => e.state)).toEqual(["planned", "verified"]);
    await cache.recordMigration("v", [{ archiveId: archiveId(2), state: "deleted" }]);
    await expect(cache.recordMigration("v", [{ archiveId: archiveId(2), state: "verified" }])).rejects.toThrow(
      "its source was already deleted",
    );
    await expect(cache.recordMigration("v", [{ archiveId: archiveId(9), state: "planned" }])).rejects.toThrow(
      "a new entry needs its bucket",
    );
    await cache.close();
  });

  it("keeps each namespace's ledger apart", async () => {
    const dir = await tempDir();
    const us = (await open(dir)).cache;
    const eu = (await open(dir, { namespace: EU_WEST })).cache;
    await us.recordMigration("v", [planned(1)]);
    expect(await eu.migrations("v")).toEqual([]);
    await eu.close();
    await us.close();
  });

  it("adds the ledger table to a cache file of the previous schema, keeping its archives", async () => {
    const dir = await tempDir();
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    for (const m of MIGRATIONS) if (m.version < 6) m.up(db);
    db.run("PRAGMA user_version = 5");
    db.run(
      "INSERT INTO archive (id, name, vault, key, region, created_here) " +
        "VALUES (?, 'a', 'v', 'glacier:us-east-1', 'us-east-1', 1)",
      [archiveId(1)],
    );
    writeFileSync(join(dir, "db"), db.export());
    db.close();
    expect(SCHEMA_VERSION).toBe(6);
    const { cache } = await open(dir);
    expect((await cache.list("v")).map((a) => a.name)).toEqual(["a"]);
    await cache.recordMigration("v", [planned(1)]);
    await cache.checkpoint();
    await cache.close();
    const file = new SQL.Database(readFileSync(join(dir, "db")));
    expect(file.exec("PRAGMA user_version")[0]?.values).toEqual([[6]]);
    expect(file.exec("SELECT archive_id, state, target_key FROM migration")[0]?.values).toEqual([
      [archiveId(1), "planned", "pre/f1"],
    ]);
    file.close();
  });
});
