// The database schema and its numbered migrations (PRAGMA user_version holds the number applied).
// glacier-cli created its table with SQLAlchemy create_all and never migrated (docs/cache.md#legacy-schema),
// so a file of either glacier-cli flavour arrives here at version 0 with an `archive` table.
import { CacheError, defined } from "../core/errors.ts";
import { MIGRATION_DDL } from "./migration-ledger.ts";
import type { Database } from "./sqlite.ts";

/** docs/cache.md#legacy-schema, "Generated DDL (verified)", original and fork. Tests build fixtures with these. */
export const GLACIER_CLI_DDL =
  "CREATE TABLE archive (id VARCHAR NOT NULL, name VARCHAR, vault VARCHAR NOT NULL, key VARCHAR NOT NULL, " +
  "last_seen_upstream INTEGER, created_here INTEGER, deleted_here INTEGER, PRIMARY KEY (id))";
export const GLACIER_CLI_FORK_DDL =
  "CREATE TABLE archive (id VARCHAR NOT NULL, name VARCHAR, vault VARCHAR NOT NULL, key VARCHAR NOT NULL, " +
  "last_seen_upstream INTEGER, created_here INTEGER, deleted_here INTEGER, hash VARCHAR NOT NULL, PRIMARY " +
  "KEY (id))";

interface Migration {
  version: number;
  what: string;
  up(db: Database): void;
}

function columns(db: Database, table: string): string[] {
  const result = db.exec(`PRAGMA table_info(${table})`)[0];
  return result ? result.values.map((row) => String(row[1])) : [];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: "glacier-cli's archive table, when the file does not have it yet",
    up(db) {
      if (columns(db, "archive").length === 0) db.run(GLACIER_CLI_DDL);
    },
  },
  {
    version: 2,
    what: "archive: hash nullable (original rows have none), our columns, primary key (id, key)",
    up(db) {
      // The fork's hash column is NOT NULL and the original has none: "A reimplementation must migrate (add the
      // column, allowing NULL)". The id-only primary key made syncing one id under a second key fail
      // (https://github.com/basak/glacier-cli/issues/58), so the table is rebuilt with PRIMARY KEY (id, key).
      // glacier-cli still reads it: it selects the same columns and ignores the others.
      const hash = columns(db, "archive").includes("hash") ? "hash" : "NULL";
      db.run(`CREATE TABLE archive_v2 (id VARCHAR NOT NULL, name VARCHAR, vault VARCHAR NOT NULL, key VARCHAR NOT NULL,
        last_seen_upstream INTEGER, created_here INTEGER, deleted_here INTEGER, hash VARCHAR,
        size INTEGER, creation_date INTEGER, region VARCHAR, PRIMARY KEY (id, key))`);
      db.run(`INSERT INTO archive_v2 (id, name, vault, key, last_seen_upstream, created_here, deleted_here, hash)
        SELECT id, name, vault, key, last_seen_upstream, created_here, deleted_here, ${hash} FROM archive`);
      db.run("DROP TABLE archive");
      db.run("ALTER TABLE archive_v2 RENAME TO archive");
      db.run("CREATE INDEX archive_vault_name ON archive (vault, name)");
      db.run("CREATE INDEX archive_hash ON archive (hash)");
    },
  },
  {
    version: 3,
    what: "checkpoint generation; upload intents and their parts (resumable multipart uploads)",
    up(db) {
      db.run("CREATE TABLE cache_meta (name VARCHAR PRIMARY KEY, value INTEGER NOT NULL)");
      db.run("INSERT INTO cache_meta (name, value) VALUES ('generation', 0)");
      db.run(`CREATE TABLE upload_intent (key VARCHAR NOT NULL, vault VARCHAR NOT NULL, upload_id VARCHAR NOT NULL,
        name VARCHAR, local_path VARCHAR, size INTEGER, part_size INTEGER NOT NULL, tree_hash VARCHAR,
        started REAL NOT NULL, PRIMARY KEY (key, upload_id))`);
      db.run(`CREATE TABLE upload_part (key VARCHAR NOT NULL, upload_id VARCHAR NOT NULL, start INTEGER NOT NULL,
        length INTEGER NOT NULL, tree_hash VARCHAR NOT NULL, PRIMARY KEY (key, upload_id, start))`);
    },
  },
  {
    version: 4,
    what: "upload_intent.owner: the process that runs the upload (pid host start), so a killed one is resumed",
    up(db) {
      db.run("ALTER TABLE upload_intent ADD COLUMN owner VARCHAR");
    },
  },
  {
    version: 5,
    what: "superseded archives: replaced or removed versions kept until their retention ends",
    up(db) {
      // A table of its own rather than columns of `archive`, which glacier-cli still reads and which
      // a superseded archive leaves as it is: the archive still exists in the vault until pruned.
      db.run(`CREATE TABLE superseded (key VARCHAR NOT NULL, vault VARCHAR NOT NULL, id VARCHAR NOT NULL,
        at REAL NOT NULL, manifest VARCHAR, PRIMARY KEY (key, id))`);
    },
  },
  {
    version: 6,
    what: "migration ledger: each archive's progress in a move of its vault to S3 (docs/migrate.md#the-ledger)",
    up(db) {
      db.run(MIGRATION_DDL);
      db.run("CREATE INDEX migration_state ON migration (key, vault, state)");
    },
  },
];

export const SCHEMA_VERSION = defined(MIGRATIONS[MIGRATIONS.length - 1], "MIGRATIONS[MIGRATIONS.length - 1]").version;

/** Brings db up to SCHEMA_VERSION in one transaction; returns the version it started from. */
export function migrate(db: Database, file: string): number {
  const from = Number(db.exec("PRAGMA user_version")[0]?.values[0]?.[0] ?? 0);
  if (from > SCHEMA_VERSION) {
    throw new CacheError(
      `${file}: the archive cache was written by a newer version of glacier (schema ${from}, this one knows ` +
        `${SCHEMA_VERSION}); upgrade glacier`,
    );
  }
  if (from === SCHEMA_VERSION) return from;
  db.run("BEGIN");
  try {
    for (const m of MIGRATIONS) if (m.version > from) m.up(db);
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.run("COMMIT");
  } catch (error) {
    db.run("ROLLBACK");
    throw error;
  }
  return from;
}

export function readGeneration(db: Database): number {
  return Number(db.exec("SELECT value FROM cache_meta WHERE name = 'generation'")[0]?.values[0]?.[0] ?? 0);
}

export function writeGeneration(db: Database, generation: number): void {
  db.run("UPDATE cache_meta SET value = ? WHERE name = 'generation'", [generation]);
}
