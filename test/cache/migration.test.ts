import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GLACIER_CLI_DDL, GLACIER_CLI_FORK_DDL, SCHEMA_VERSION } from "../../src/cache/schema.ts";
import { loadSqlJs } from "../../src/cache/sqlite.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { EU_WEST, archiveId, hashOf, open } from "./helpers.ts";

// Fixtures are built the way glacier-cli built its file: SQLAlchemy create_all's DDL (docs/cache.md#legacy-schema)
//, float seconds in created_here/deleted_here, the access key id in `key`.
async function glacierCliFile(dir: string, fork: boolean): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(fork ? GLACIER_CLI_FORK_DDL : GLACIER_CLI_DDL);
  const insert = fork
    ? "INSERT INTO archive (id, name, vault, key, last_seen_upstream, created_here, deleted_here, hash) VALUES " +
      "(?,?,?,?,?,?,?,?)"
    : "INSERT INTO archive (id, name, vault, key, last_seen_upstream, created_here, deleted_here) VALUES " +
      "(?,?,?,?,?,?,?)";
  const rows: (string | number | null)[][] = [
    [archiveId(1), "photos-2019.tar", "backup", "AKIAOLDKEY000000000A", 1_700_000_000, 1_690_000_000.25, null],
    [archiveId(2), "notes.txt", "backup", "AKIAOLDKEY000000000A", null, 1_690_000_100.5, 1_695_000_000.75],
    // Rotated credentials: glacier-cli would have shown an empty cache under the new key.
    [archiveId(3), "music.tar", "backup", "ASIATEMPKEY00000000B", null, 1_691_000_000, null],
  ];
  for (const r of rows) db.run(insert, fork ? [...r, hashOf(Number(String(r[0]).slice(-1)))] : r);
  writeFileSync(join(dir, "db"), db.export());
  db.close();
}

describe("opening glacier-cli databases", () => {
  for (const fork of [false, true]) {
    it(
      `migrates a ${fork ? "fork (with hash)" : "original"} glacier-cli database in place and keeps every row ` +
        `usable`,
      async () => {
        const dir = await tempDir();
        await glacierCliFile(dir, fork);
        const before = readFileSync(join(dir, "db"));
        const { cache } = await open(dir);
        const rows = await cache.list("backup", { includeDeleted: true });
        expect(rows.map((a) => [a.name, a.treeHash, a.createdHere, a.deletedHere, a.lastSeenUpstream])).toEqual([
          ["music.tar", fork ? hashOf(3) : null, 1_691_000_000_000, null, null],
          ["notes.txt", fork ? hashOf(2) : null, 1_690_000_100_500, 1_695_000_000_750, null],
          ["photos-2019.tar", fork ? hashOf(1) : null, 1_690_000_000_250, null, 1_700_000_000_000],
        ]);
        expect((await cache.lookup("backup", "photos-2019.tar")).map((a) => a.id)).toEqual([archiveId(1)]);
        await cache.close();

        // In place: the file itself is now at our schema; the original bytes are kept beside it.
        expect(readFileSync(join(dir, "db.glacier-cli-backup")).equals(before)).toBe(true);
        expect(statSync(join(dir, "db.glacier-cli-backup")).mode & 0o777).toBe(0o600);
        const SQL = await loadSqlJs();
        const db = new SQL.Database(readFileSync(join(dir, "db")));
        expect(db.exec("PRAGMA user_version")[0]?.values).toEqual([[SCHEMA_VERSION]]);
        // glacier-cli's own lookup still works on the migrated file.
        const legacy = db.exec(
          "SELECT id FROM archive WHERE key = 'AKIAOLDKEY000000000A' AND vault = 'backup' AND deleted_here IS NULL",
        );
        expect(legacy[0]?.values).toEqual([[archiveId(1)]]);
        db.close();
      },
    );
  }

  it("shows glacier-cli rows to every AWS region until a change claims them, never to other endpoints", async () => {
    const dir = await tempDir();
    await glacierCliFile(dir, true);
    const eu = (await open(dir, { namespace: EU_WEST })).cache;
    const local = (await open(dir, { namespace: { region: "us-east-1", endpoint: "http://127.0.0.1:9000" } })).cache;
    expect((await eu.list("backup")).length).toBe(2);
    expect(await local.list("backup")).toEqual([]);
    const us = (await open(dir)).cache;
    await us.applySync("backup", [{ kind: "update", id: archiveId(1), set: { lastSeenUpstream: 1_800_000_000_000 } }]);
    // Claimed by us-east-1 with its history kept; eu-west-1 no longer sees it.
    expect(await us.get("backup", archiveId(1))).toMatchObject({
      createdHere: 1_690_000_000_250,
      lastSeenUpstream: 1_800_000_000_000,
    });
    expect((await eu.list("backup")).map((a) => a.id)).toEqual([archiveId(3)]);
    await Promise.all([eu.close(), local.close(), us.close()]);
  });

  it("holds one archive id under two namespaces without an integrity error", async () => {
    const dir = await tempDir();
    await glacierCliFile(dir, false);
    const us = (await open(dir)).cache;
    const local = (await open(dir, { namespace: { region: "us-east-1", endpoint: "local:/srv" } })).cache;
    await local.applySync("backup", [
      {
        kind: "insert",
        id: archiveId(1),
        name: "copy",
        treeHash: null,
        size: 1,
        creationDate: null,
        lastSeenUpstream: 5000,
      },
    ]);
    await us.recordUpload("backup", { id: archiveId(3), name: "music.tar", treeHash: hashOf(3), size: 3 });
    expect((await local.lookup("backup", `id:${archiveId(1)}`)).map((a) => a.name)).toEqual(["copy"]);
    expect((await us.lookup("backup", `id:${archiveId(1)}`)).map((a) => a.name)).toEqual(["photos-2019.tar"]);
    // The legacy row of id 3 was replaced by ours, not duplicated.
    expect((await us.lookup("backup", "music.tar")).map((a) => a.treeHash)).toEqual([hashOf(3)]);
    await Promise.all([us.close(), local.close()]);
  });

  it("refuses a database from a newer schema and leaves it untouched", async () => {
    const dir = await tempDir();
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run(`${GLACIER_CLI_DDL}; PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    writeFileSync(join(dir, "db"), db.export());
    db.close();
    const before = readFileSync(join(dir, "db"));
    await expect(open(dir)).rejects.toThrow(/written by a newer version of glacier/);
    expect(readFileSync(join(dir, "db")).equals(before)).toBe(true);
    expect(existsSync(join(dir, "journal"))).toBe(false);
  });
});
