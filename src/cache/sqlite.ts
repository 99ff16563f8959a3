// Loads sql.js once per process and checks a database file's header before trusting it.
// The wasm file is resolved through Node's module resolution from this module's own location, which
// finds node_modules/sql.js both from src/cache (vitest) and from dist/ (tsup keeps sql.js external
// because it is a dependency), so neither a bundler copy step nor a cwd assumption is needed.
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import initSqlJs from "sql.js";
import type { Database, SqlJsStatic } from "sql.js";
import { CacheError } from "../core/errors.ts";

export type { Database, Statement, SqlValue } from "sql.js";

let loading: Promise<SqlJsStatic> | undefined;

/** The sql.js module. Memoised: the wasm is compiled once per process (a cache, not state). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    // V8 compiles wasm with its baseline compiler (Liftoff), then recompiles the functions that get
    // hot with TurboFan on a background thread. For SQLite's largest function (35 KB of wasm) that
    // pass took about a second of CPU and 22 MB of compiler memory at once (--trace-wasm-compilation-times,
    // after a thousand INSERTs), which a short command then carried as peak RSS (a 4 x 8 MiB upload
    // peaked about 10 MB lower with Liftoff alone) without running SQL long enough to win the time
    // back: bench:cache (500,000 archives) measured the same with Liftoff alone. The flag applies to
    // wasm compiled after it is set; sql.js is the only wasm these programs compile.
    setFlagsFromString("--liftoff-only");
    const require = createRequire(import.meta.url);
    const wasm = require.resolve("sql.js/dist/sql-wasm.wasm");
    loading = initSqlJs({ locateFile: () => wasm });
  }
  return loading;
}

const MAGIC = "SQLite format 3\0";

/**
 * Why a file cannot be a whole SQLite database, or null when its header is sound. sql.js opens
 * anything lazily and fails on first use, so a truncated file is caught here from the header's page
 * size and page count (sqlite.org/fileformat.html 1.3: offsets 16, 28, and the valid-for counter at 92).
 */
export function headerProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString("latin1") !== MAGIC)
    return "file is not a database";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = view.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return "file is not a database";
  const pages = view.getUint32(28);
  const countValid = view.getUint32(24) === view.getUint32(92) && pages > 0;
  if (bytes.length % pageSize !== 0) return "database file is truncated";
  if (countValid && bytes.length < pages * pageSize) return "database file is truncated";
  return null;
}

/** Opens bytes (or a new empty database) with the pragmas the cache relies on. */
export function openDatabase(sql: SqlJsStatic, bytes?: Uint8Array): Database {
  const db = new sql.Database(bytes && bytes.length > 0 ? bytes : null);
  // The file lives in sql.js's in-memory FS; durability comes from our journal, not SQLite's.
  db.run("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;");
  return db;
}

/** Wraps sql.js's plain Errors ("database disk image is malformed") as one-line CacheErrors. */
export function sqlFailure(path: string, error: unknown): CacheError {
  if (error instanceof CacheError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CacheError(
    `${path}: the archive cache database is unusable (${message}); move it aside and run vault sync to rebuild it`,
    { cause: error },
  );
}

/** At most this much free space is kept in the file for the writes that follow a checkpoint. */
const SLACK_BYTES = 16 * 1024 * 1024;

/**
 * Leaves free pages in the file (about 1/16 of it, at most 16 MiB). sql.js keeps the file in a
 * typed array that it reallocates and copies whole whenever the file grows: for a 350 MB cache that
 * copy costs more than replaying the journal. Inserts reuse free pages first, so with this slack the
 * replay after open and the writes of a session usually never grow the file at all.
 */
export function reserveFreePages(db: Database): void {
  const value = (sql: string) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  const pageSize = value("PRAGMA page_size");
  const want = Math.floor(Math.min(SLACK_BYTES, (value("PRAGMA page_count") * pageSize) / 16));
  const missing = want - value("PRAGMA freelist_count") * pageSize;
  if (missing < 64 * 1024) return;
  db.run("CREATE TABLE cache_slack (b BLOB)");
  db.run("INSERT INTO cache_slack VALUES (zeroblob(?))", [missing]);
  db.run("DROP TABLE cache_slack");
}
