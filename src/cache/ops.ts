// The journal's vocabulary: every mutation is resolved, under the writer lock, into absolute row
// writes ("this row now holds exactly these values", "this row is gone"). Replaying a journal over a
// database that already contains some of it therefore converges on the same state, which is what
// makes replay after a crash between checkpoint rename and journal reset safe.
import { PUT_MIGRATION, migrationValues, type MigrationRow } from "./migration-ledger.ts";
import type { Database, SqlValue, Statement } from "./sqlite.ts";

/** An `archive` row as stored: times in unix seconds (glacier-cli's unit; REAL allowed). */
export interface ArchiveRow {
  id: string;
  key: string;
  /** NULL for rows written by glacier-cli (region unknown). */
  region: string | null;
  vault: string;
  name: string | null;
  hash: string | null;
  size: number | null;
  lastSeen: number | null;
  createdHere: number | null;
  deletedHere: number | null;
  creationDate: number | null;
}

export interface IntentRow {
  key: string;
  vault: string;
  uploadId: string;
  name: string | null;
  localPath: string | null;
  size: number | null;
  partSize: number;
  treeHash: string | null;
  started: number;
  /** formatOwner() of the uploading process; absent in journal lines written before owners. */
  owner?: string | null;
}

export type Op =
  /** Upsert on (id, key); with claim, glacier-cli rows (region NULL) of the same vault and id go. */
  | { op: "put"; row: ArchiveRow; claim: boolean }
  | { op: "del"; key: string; vault: string; id: string; claim: boolean }
  | { op: "intent"; intent: IntentRow }
  | { op: "part"; key: string; uploadId: string; start: number; length: number; treeHash: string }
  | { op: "intent-done"; key: string; uploadId: string }
  /** The archive is no file's current version any more (docs/retention.md); `at` in unix seconds. */
  | { op: "supersede"; key: string; vault: string; id: string; at: number; manifest: string | null }
  /** One archive's migration ledger row as it now is (docs/migrate.md#the-ledger). */
  | { op: "migration"; row: MigrationRow };

export const OP_NAMES: ReadonlySet<string> = new Set([
  "put",
  "del",
  "intent",
  "part",
  "intent-done",
  "supersede",
  "migration",
]);

const ROW_COLUMNS =
  "id, key, region, vault, name, hash, size, last_seen_upstream, created_here, deleted_here, creation_date";

export function rowValues(r: ArchiveRow): SqlValue[] {
  return [
    r.id,
    r.key,
    r.region,
    r.vault,
    r.name,
    r.hash,
    r.size,
    r.lastSeen,
    r.createdHere,
    r.deletedHere,
    r.creationDate,
  ];
}

export function rowFrom(v: SqlValue[]): ArchiveRow {
  const num = (x: SqlValue | undefined) => (x === null || x === undefined ? null : Number(x));
  const str = (x: SqlValue | undefined) => (x === null || x === undefined ? null : String(x));
  return {
    id: String(v[0]),
    key: String(v[1]),
    region: str(v[2]),
    vault: String(v[3]),
    name: str(v[4]),
    hash: str(v[5]),
    size: num(v[6]),
    lastSeen: num(v[7]),
    createdHere: num(v[8]),
    deletedHere: num(v[9]),
    creationDate: num(v[10]),
  };
}

// Statements that look rows up by id write "+vault" so SQLite uses the (id, key) primary key instead
// of the (vault, name) index, which would scan a whole vault (there are no ANALYZE statistics).
export const SELECT_ROW = `SELECT ${ROW_COLUMNS} FROM archive`;

/** Prepared writers. sql.js frees every statement on export(), so these are rebuilt after a checkpoint. */
export class OpWriter {
  readonly #db: Database;
  // Prepared on first use: a read-only command (checkpresent, archive list) never writes, and
  // preparing seven statements cost it about 35 ms with a large cache.
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  get #put(): Statement {
    return this.#statement(`INSERT OR REPLACE INTO archive (${ROW_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
  }
  get #unclaim(): Statement {
    return this.#statement("DELETE FROM archive WHERE id = ? AND +vault = ? AND region IS NULL");
  }
  get #del(): Statement {
    return this.#statement("DELETE FROM archive WHERE id = ? AND key = ? AND +vault = ?");
  }
  get #intent(): Statement {
    return this.#statement(
      `INSERT OR REPLACE INTO upload_intent
         (key, vault, upload_id, name, local_path, size, part_size, tree_hash, started, owner)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
  }
  get #part(): Statement {
    return this.#statement(
      "INSERT OR REPLACE INTO upload_part (key, upload_id, start, length, tree_hash) VALUES (?,?,?,?,?)",
    );
  }
  get #intentDone(): Statement {
    return this.#statement("DELETE FROM upload_intent WHERE key = ? AND upload_id = ?");
  }
  get #supersede(): Statement {
    return this.#statement("INSERT OR REPLACE INTO superseded (key, vault, id, at, manifest) VALUES (?,?,?,?,?)");
  }
  get #partsDone(): Statement {
    return this.#statement("DELETE FROM upload_part WHERE key = ? AND upload_id = ?");
  }

  apply(op: Op): void {
    switch (op.op) {
      case "put":
        if (op.claim) this.#unclaim.run([op.row.id, op.row.vault]);
        this.#put.run(rowValues(op.row));
        return;
      case "del":
        if (op.claim) this.#unclaim.run([op.id, op.vault]);
        this.#del.run([op.id, op.key, op.vault]);
        return;
      case "intent": {
        const i = op.intent;
        this.#intent.run([
          i.key,
          i.vault,
          i.uploadId,
          i.name,
          i.localPath,
          i.size,
          i.partSize,
          i.treeHash,
          i.started,
          i.owner ?? null,
        ]);
        return;
      }
      case "part":
        this.#part.run([op.key, op.uploadId, op.start, op.length, op.treeHash]);
        return;
      case "intent-done":
        this.#intentDone.run([op.key, op.uploadId]);
        this.#partsDone.run([op.key, op.uploadId]);
        return;
      case "supersede":
        this.#supersede.run([op.key, op.vault, op.id, op.at, op.manifest]);
        return;
      case "migration":
        this.#statement(PUT_MIGRATION).run(migrationValues(op.row));
        return;
    }
  }

  free(): void {
    for (const statement of this.#statements.values()) statement.free();
    this.#statements.clear();
  }
}
