// Typed reads. Every query is confined to one namespace: our rows (key = the
// namespace key) and, for AWS namespaces, glacier-cli's rows (region NULL) not yet claimed.
import { parseOwner } from "./owner.ts";
import type { CachedArchive, Superseded } from "../core/types.ts";
import type { UploadIntent, UploadPart } from "./api.ts";
import { SELECT_MIGRATION, migrationFrom, type MigrationRow, type MigrationState } from "./migration-ledger.ts";
import { SELECT_ROW, rowFrom, type ArchiveRow } from "./ops.ts";
import type { Database, SqlValue, Statement } from "./sqlite.ts";

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const millis = (s: number | null): number | null => (s === null ? null : Math.round(s * 1000));
export const toSeconds = seconds;

export function toArchive(r: ArchiveRow): CachedArchive {
  return {
    id: r.id,
    vault: r.vault,
    name: r.name,
    treeHash: r.hash,
    size: r.size,
    lastSeenUpstream: millis(r.lastSeen),
    createdHere: millis(r.createdHere),
    deletedHere: millis(r.deletedHere),
    creationDate: millis(r.creationDate),
  };
}

/** A row of SELECT_ROW straight to the API's shape (list reads half a million of these). */
function archiveFrom(v: SqlValue[]): CachedArchive {
  return {
    id: v[0] as string,
    vault: v[3] as string,
    name: v[4] as string | null,
    treeHash: v[5] as string | null,
    size: v[6] as number | null,
    lastSeenUpstream: millis(v[7] as number | null),
    createdHere: millis(v[8] as number | null),
    deletedHere: millis(v[9] as number | null),
    creationDate: millis(v[10] as number | null),
  };
}

/** docs/compatibility.md#archive-refs: `id:` matches the id, `name:` the name, anything else the whole ref as name. */
export function parseRef(ref: string): { by: "id" | "name"; value: string } {
  if (ref.startsWith("id:")) return { by: "id", value: ref.slice(3) };
  if (ref.startsWith("name:")) return { by: "name", value: ref.slice(5) };
  return { by: "name", value: ref };
}

/**
 * SQLite's BINARY order with NULL first. JavaScript compares UTF-16 code units, which agrees with
 * SQLite's UTF-8 byte order except between astral characters and U+E000..U+FFFF; names stored by us
 * are printable ASCII or encoded (README.md "Archive names"), so that corner does not arise.
 */
function byName(a: CachedArchive, b: CachedArchive): number {
  if (a.name === b.name) return 0;
  if (a.name === null) return -1;
  if (b.name === null) return 1;
  return a.name < b.name ? -1 : 1;
}

export class Queries {
  readonly #key: string;
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();
  readonly #visible: string;

  constructor(db: Database, key: string, legacy: boolean) {
    this.#db = db;
    this.#key = key;
    // A glacier-cli row shadowed by our row of the same id is not shown twice.
    this.#visible = legacy
      ? "(key = $k OR (region IS NULL AND NOT EXISTS (SELECT 1 FROM archive AS mine WHERE mine.id = archive.id " +
        "AND mine.key = $k)))"
      : "key = $k";
  }

  #all<T>(sql: string, params: Record<string, SqlValue>, map: (values: SqlValue[]) => T): T[] {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    stmt.bind({ $k: this.#key, ...params });
    const rows: T[] = [];
    try {
      while (stmt.step()) rows.push(map(stmt.get()));
    } finally {
      stmt.reset();
    }
    return rows;
  }

  /** Live rows matching a ref; more than one means the name is ambiguous (docs/compatibility.md#archive-refs). */
  lookup(vault: string, ref: string): CachedArchive[] {
    const { by, value } = parseRef(ref);
    // "+vault" keeps SQLite from preferring the (vault, name) index over the id key for id: refs.
    return this.#all(
      `${SELECT_ROW} WHERE ${by} = $v AND ${by === "id" ? "+vault" : "vault"} = $vault AND deleted_here IS ` +
        `NULL AND ${this.#visible} ORDER BY rowid`,
      { $v: value, $vault: vault },
      archiveFrom,
    );
  }

  /**
   * docs/compatibility.md#commands `archive list`: "ordered by name (SQLite puts NULLs first)"; ties in insertion
   * order. When the vault is a large part of the table, reading the table in storage order and sorting
   * here is several times faster than following the name index, whose every row is a random page
   * read through sql.js's file layer; for a small vault the index is cheaper.
   */
  list(vault: string, includeDeleted: boolean): CachedArchive[] {
    const live = includeDeleted ? "" : "AND deleted_here IS NULL";
    const count = (sql: string) => Number(this.#db.exec(sql, { $vault: vault })[0]?.values[0]?.[0] ?? 0);
    const inVault = count("SELECT count(*) FROM archive WHERE vault = $vault");
    if (inVault * 4 < count("SELECT max(rowid) FROM archive")) {
      return this.#all(
        `${SELECT_ROW} WHERE vault = $vault ${live} AND ${this.#visible} ORDER BY name, rowid`,
        { $vault: vault },
        archiveFrom,
      );
    }
    // "+vault": a scan in rowid order, which the stable sort keeps for equal names.
    return this.#all(
      `${SELECT_ROW} WHERE +vault = $vault ${live} AND ${this.#visible}`,
      { $vault: vault },
      archiveFrom,
    ).sort(byName);
  }

  /** One row by id, deleted or not; our row wins over a glacier-cli row of the same id. */
  get(vault: string, id: string): ArchiveRow | undefined {
    return this.#all(
      `${SELECT_ROW} WHERE id = $id AND +vault = $vault AND ${this.#visible}`,
      { $id: id, $vault: vault },
      rowFrom,
    )[0];
  }

  /** Live archives with this content: same tree hash, and same size unless the size is unknown. */
  byTreeHash(vault: string, treeHash: string, size: number): CachedArchive[] {
    return this.#all(
      `${SELECT_ROW} WHERE hash = $h AND +vault = $vault AND deleted_here IS NULL AND (size = $s OR size IS ` +
        `NULL) AND ${this.#visible} ORDER BY rowid`,
      { $h: treeHash, $vault: vault, $s: size },
      archiveFrom,
    );
  }

  /** Names of the vaults with a live archive in this namespace, sorted (shell completion). */
  vaults(): string[] {
    return this.#all(
      `SELECT DISTINCT vault FROM archive WHERE deleted_here IS NULL AND ${this.#visible} ORDER BY vault`,
      {},
      (v) => String(v[0]),
    );
  }

  /** Superseded records of the vault's archives, by archive id (the table is small: old versions only). */
  superseded(vault: string): Map<string, Superseded> {
    const rows = this.#db.exec("SELECT id, at, manifest FROM superseded WHERE key = $k AND vault = $vault", {
      $k: this.#key,
      $vault: vault,
    })[0];
    const map = new Map<string, Superseded>();
    for (const v of rows?.values ?? [])
      map.set(String(v[0]), { at: Math.round(Number(v[1]) * 1000), manifest: v[2] === null ? null : String(v[2]) });
    return map;
  }

  /** One archive's migration ledger row. */
  migration(vault: string, archiveId: string): MigrationRow | undefined {
    return this.#all(
      `${SELECT_MIGRATION} WHERE key = $k AND vault = $vault AND archive_id = $id`,
      { $vault: vault, $id: archiveId },
      migrationFrom,
    )[0];
  }

  /** The vault's migration ledger, or its rows in one state, by target key. */
  migrations(vault: string, state?: MigrationState): MigrationRow[] {
    return state === undefined
      ? this.#all(
          `${SELECT_MIGRATION} WHERE key = $k AND vault = $vault ORDER BY target_key`,
          { $vault: vault },
          migrationFrom,
        )
      : this.#all(
          `${SELECT_MIGRATION} WHERE key = $k AND vault = $vault AND state = $state ORDER BY target_key`,
          { $vault: vault, $state: state },
          migrationFrom,
        );
  }

  uploadIntents(vault: string): UploadIntent[] {
    const intents: UploadIntent[] = [];
    const res = this.#db.exec(
      "SELECT upload_id, name, local_path, size, part_size, tree_hash, started, owner FROM upload_intent " +
        "WHERE key = $k AND vault = $vault ORDER BY started, upload_id",
      { $k: this.#key, $vault: vault },
    )[0];
    for (const v of res?.values ?? []) {
      const uploadId = String(v[0]);
      const parts = (
        this.#db.exec(
          "SELECT start, length, tree_hash FROM upload_part WHERE key = $k AND upload_id = $u ORDER BY start",
          { $k: this.#key, $u: uploadId },
        )[0]?.values ?? []
      ).map((p): UploadPart => ({ start: Number(p[0]), length: Number(p[1]), treeHash: String(p[2]) }));
      intents.push({
        vault,
        uploadId,
        name: v[1] === null ? null : String(v[1]),
        localPath: v[2] === null ? null : String(v[2]),
        size: v[3] === null ? null : Number(v[3]),
        partSize: Number(v[4]),
        treeHash: v[5] === null ? null : String(v[5]),
        startedAt: Math.round(Number(v[6]) * 1000),
        owner: parseOwner(v[7] === null ? null : String(v[7])) ?? null,
        parts,
      });
    }
    return intents;
  }

  free(): void {
    for (const s of this.#statements.values()) s.free();
    this.#statements.clear();
  }
}
