// The persistent half of the cache: the in-memory sql.js database kept equal to db + journal on
// disk. It loads and replays, catches up with other processes' lines, commits batches of mutations
// durably under the writer lock, and checkpoints. It knows nothing about archives (see archive-cache.ts).
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CacheError, defined } from "../core/errors.ts";
import { FILE_MODE, atomicWrite, cacheFailure } from "./files.ts";
import {
  JOURNAL_RECOVERY,
  appendDurably,
  decodeTransactions,
  encodeHeader,
  encodeTransaction,
  parseHeader,
  readJournal,
  statJournal,
  truncateJournal,
} from "./journal.ts";
import type { WriterLock } from "./lock.ts";
import { OpWriter, type Op } from "./ops.ts";
import { SCHEMA_VERSION, migrate, readGeneration, writeGeneration } from "./schema.ts";
import { headerProblem, openDatabase, reserveFreePages, sqlFailure, type Database } from "./sqlite.ts";

export { sqlFailure };
import type { SqlJsStatic } from "sql.js";

export interface Mutation<T> {
  /** Runs under the lock on an up-to-date database; returns the ops to apply and the caller's result. */
  build(): { ops: Op[]; result: T };
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface JournalIdentity {
  ino: number;
  /** Its header line, bytes: tells it apart from a later journal that reuses the inode number. */
  header: Buffer;
  /** The end of the last complete line consumed. */
  offset: number;
  mtimeMs: number;
}

export class Store {
  readonly dbPath: string;
  readonly journalPath: string;
  #db!: Database;
  #writer!: OpWriter;
  #generation = 0;
  /** The journal we have consumed: its inode and the end of its last complete line. */
  #journal: JournalIdentity | undefined;
  #tornTail = false;
  #folded: { ino: number; size: number; mtimeMs: number } | undefined;
  #persistNeeded = false;
  /** Called after the database object was replaced (reload, export), so readers re-prepare. */
  onReset: () => void = () => {};

  constructor(
    readonly sql: SqlJsStatic,
    readonly dir: string,
    readonly lock: WriterLock,
    readonly warn: (message: string) => void,
    readonly checkpointBytes: number,
  ) {
    this.dbPath = join(dir, "db");
    this.journalPath = join(dir, "journal");
  }

  get db(): Database {
    return this.#db;
  }

  async open(): Promise<void> {
    this.#load();
    if (!this.#persistNeeded && !this.#tornTail) return;
    await this.withLock(() => {
      if (this.#persistNeeded) {
        // Migrate in place, keeping the file as it was beside it: the old tool's data is never lost.
        const backup = `${this.dbPath}.glacier-cli-backup`;
        if (!existsSync(backup)) {
          copyFileSync(this.dbPath, backup);
          chmodSync(backup, FILE_MODE);
        }
        this.checkpointLocked();
      }
    });
  }

  /** Loads db + journal; retries when a checkpoint by another process lands in between. */
  #load(): void {
    let previous = "";
    for (let attempt = 0; attempt < 20; attempt++) {
      let bytes: Uint8Array;
      let identity: string;
      try {
        const st = existsSync(this.dbPath) ? statSync(this.dbPath) : undefined;
        identity = st ? `${st.ino}:${st.mtimeMs}:${st.size}` : "none";
        bytes = st ? readFileSync(this.dbPath) : new Uint8Array();
      } catch (error) {
        throw cacheFailure("read", this.dbPath, error);
      }
      if (identity === previous) {
        // The journal is newer than the database and no checkpoint is landing: db was replaced or lost.
        throw new CacheError(
          `${this.journalPath}: the journal continues a newer database than ${this.dbPath}; was db replaced? ` +
            `move both aside and run vault sync`,
        );
      }
      previous = identity;
      const problem = headerProblem(bytes);
      if (problem) throw sqlFailure(this.dbPath, new Error(problem));
      this.#close();
      try {
        this.#db = openDatabase(this.sql, bytes);
        const from = migrate(this.#db, this.dbPath);
        this.#persistNeeded = bytes.length > 0 && from < SCHEMA_VERSION;
        this.#generation = readGeneration(this.#db);
        this.#writer = new OpWriter(this.#db);
      } catch (error) {
        this.#close();
        throw sqlFailure(this.dbPath, error);
      }
      this.#journal = undefined;
      this.onReset();
      if (this.#catchUp(false) === "ok") {
        // Every checkpoint leaves a journal of its generation behind it, so a database past its
        // first checkpoint without one lost it (deleted, or moved aside): what was recorded since
        // that checkpoint is gone from here, though not from the vault. Said once per open; the
        // next write starts a new journal.
        if (this.#generation > 0 && !this.#hasJournal() && !statJournal(this.journalPath)) {
          this.warn(
            `${this.journalPath} is missing (${this.dbPath} was checkpointed): archives recorded since then ` +
              `may be missing from the cache; ${JOURNAL_RECOVERY}`,
          );
        }
        return;
      }
    }
    throw new CacheError(`${this.dir}: the archive cache keeps changing while it is read; try again`);
  }

  /** Applies other processes' committed lines. Cheap when nothing changed: one stat. */
  refresh(): void {
    const st = statJournal(this.journalPath);
    const known = this.#journal;
    if (!st && !known) return;
    if (st && known && st.ino === known.ino && st.size === known.offset && st.mtimeMs === known.mtimeMs) return;
    if (
      st &&
      this.#folded &&
      st.ino === this.#folded.ino &&
      st.size === this.#folded.size &&
      st.mtimeMs === this.#folded.mtimeMs
    )
      return;
    if (this.#catchUp(false) === "reload") this.#load();
  }

  #catchUp(locked: boolean): "ok" | "reload" {
    const known = this.#journal;
    let read = readJournal(this.journalPath, known?.offset ?? 0, known?.header.length ?? 0);
    if (!read) {
      this.#journal = undefined;
      return "ok";
    }
    let offset = known?.offset ?? 0;
    if (!known || known.ino !== read.ino || !read.head.equals(known.header)) {
      // A journal we have not read yet: a new one after a checkpoint, or the first one.
      if (known) read = readJournal(this.journalPath, 0);
      if (!read) return "ok";
      const end = read.bytes.indexOf(0x0a);
      if (end === -1) throw new CacheError(`${this.journalPath}: not an archive cache journal (no header line)`);
      const header = parseHeader(read.bytes.toString("utf8", 0, end), this.journalPath);
      if (header.generation > this.#generation) return "reload";
      if (header.generation < this.#generation) {
        // Already folded into the database by a checkpoint whose journal reset is still to come
        // (or never came: a crash between the two renames). Remembered so queries skip it cheaply.
        this.#journal = undefined;
        this.#folded = { ino: read.ino, size: read.size, mtimeMs: read.mtimeMs };
        return "ok";
      }
      offset = end + 1;
      this.#journal = {
        ino: read.ino,
        header: Buffer.from(read.bytes.subarray(0, offset)),
        offset,
        mtimeMs: read.mtimeMs,
      };
      read = { ...read, bytes: read.bytes.subarray(offset) };
    }
    const body = read.bytes;
    const { transactions, consumed } = decodeTransactions(body, this.journalPath, offset);
    if (transactions.length > 0) {
      try {
        this.#db.run("BEGIN");
        for (const ops of transactions) for (const op of ops) this.#writer.apply(op);
        this.#db.run("COMMIT");
      } catch (error) {
        throw sqlFailure(this.dbPath, error);
      }
    }
    const journal = defined(this.#journal, "this.#journal");
    journal.offset = offset + consumed;
    journal.mtimeMs = read.mtimeMs;
    this.#tornTail = consumed < body.length;
    if (this.#tornTail && locked) {
      // Under the lock nobody is writing, so a line without its "\n" was torn by a crash.
      truncateJournal(this.journalPath, journal.offset);
      journal.mtimeMs = statJournal(this.journalPath)?.mtimeMs ?? 0;
      this.warn(`dropped an incomplete last record from ${this.journalPath} (a write was interrupted)`);
      this.#tornTail = false;
    }
    return "ok";
  }

  /** Runs fn under the writer lock, on a database that has caught up with every committed line. */
  async withLock<T>(fn: () => T): Promise<T> {
    const release = await this.lock.acquire();
    try {
      if (this.#catchUp(true) === "reload") {
        this.#load();
        this.#catchUp(true);
      }
      return fn();
    } finally {
      release();
    }
  }

  /** Commits a batch: each mutation in its own savepoint, all lines in one append and one fdatasync. */
  async commit(batch: readonly Mutation<unknown>[]): Promise<void> {
    await this.withLock(() => {
      const done: (() => void)[] = [];
      const lines: string[] = [];
      this.#db.run("BEGIN");
      for (const m of batch) {
        this.#db.run("SAVEPOINT mutation");
        try {
          const { ops, result } = m.build();
          for (const op of ops) this.#writer.apply(op);
          this.#db.run("RELEASE mutation");
          if (ops.length > 0) lines.push(encodeTransaction(ops));
          done.push(() => {
            m.resolve(result);
          });
        } catch (error) {
          this.#db.run("ROLLBACK TO mutation");
          this.#db.run("RELEASE mutation");
          done.push(() => {
            m.reject(sqlFailure(this.dbPath, error));
          });
        }
      }
      try {
        if (lines.length > 0) {
          const journal = this.#ensureJournal();
          journal.offset += appendDurably(this.journalPath, journal.offset, lines.join(""));
          journal.mtimeMs = statJournal(this.journalPath)?.mtimeMs ?? 0;
        }
      } catch (error) {
        this.#db.run("ROLLBACK");
        throw cacheFailure("write the archive cache journal", this.journalPath, error);
      }
      this.#db.run("COMMIT");
      for (const settle of done) settle();
      if ((this.#journal?.offset ?? 0) > this.checkpointBytes) {
        try {
          this.checkpointLocked();
        } catch (error) {
          // The batch is durable in the journal; a failed fold only costs replay time.
          this.warn(error instanceof Error ? error.message : String(error));
        }
      }
    });
  }

  #ensureJournal(): JournalIdentity {
    if (this.#journal) return this.#journal;
    const header = Buffer.from(encodeHeader(this.#generation, randomBytes(8).toString("hex")));
    atomicWrite(this.journalPath, [header]);
    const st = defined(statJournal(this.journalPath), "statJournal(this.journalPath)");
    this.#journal = { ino: st.ino, header, offset: header.length, mtimeMs: st.mtimeMs };
    return this.#journal;
  }

  get journalBytes(): number {
    return this.#journal?.offset ?? 0;
  }

  /**
   * Folds the journal into the database file (lock held): the next generation is written to a
   * temporary file, fsynced and renamed over db, the folder fsynced, then the journal is replaced by
   * an empty one of the new generation. A crash between the two renames leaves an older journal,
   * which open() recognises by its generation and ignores.
   */
  checkpointLocked(): void {
    const next = this.#generation + 1;
    let bytes: Uint8Array;
    try {
      writeGeneration(this.#db, next);
      reserveFreePages(this.#db);
      bytes = this.#db.export();
    } catch (error) {
      throw sqlFailure(this.dbPath, error);
    } finally {
      // export() closes and reopens the database, freeing every prepared statement.
      this.#reprepare();
    }
    try {
      atomicWrite(this.dbPath, [bytes]);
    } catch (error) {
      writeGeneration(this.#db, this.#generation);
      throw cacheFailure("write", this.dbPath, error);
    }
    this.#generation = next;
    this.#persistNeeded = false;
    this.#journal = undefined;
    try {
      this.#ensureJournal();
    } catch (error) {
      throw cacheFailure("write", this.journalPath, error);
    }
  }

  #reprepare(): void {
    this.#db.run("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;");
    this.#writer = new OpWriter(this.#db);
    this.onReset();
  }

  /** Read through a call: #catchUp may have set it since the reset that TypeScript's narrowing remembers. */
  #hasJournal(): boolean {
    return this.#journal !== undefined;
  }

  #close(): void {
    // Both are unset when the database never opened (the fields are declared as always set once open).
    const db = this.#db as Database | undefined;
    if (db) {
      (this.#writer as OpWriter | undefined)?.free();
      db.close();
    }
  }

  close(): void {
    this.#close();
  }
}
