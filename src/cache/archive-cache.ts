// The archive cache as commands see it: typed queries confined to one namespace,
// and mutations that resolve to absolute row writes under the writer lock. Reads first pick up
// other processes' committed records; writes made in the same tick share one lock and one fsync.
import type { Clock } from "../core/clock.ts";
import { CacheError } from "../core/errors.ts";
import type { CachedArchive } from "../core/types.ts";
import type { CompletedUpload, NewUploadIntent, SyncChange, UploadIntent, UploadPart } from "./api.ts";
import { namespaceKey, seesLegacyRows, type CacheNamespace } from "./namespace.ts";
import {
  nextMigrationRow,
  toMigrationEntry,
  type MigrationEntry,
  type MigrationState,
  type MigrationUpdate,
} from "./migration-ledger.ts";
import type { ArchiveRow, Op } from "./ops.ts";
import { Queries, toArchive, toSeconds } from "./queries.ts";
import { formatOwner, processOwner } from "./owner.ts";
import { lockName, type NameLockOptions } from "./name-lock.ts";
import { sqlFailure, type Mutation, type Store } from "./store.ts";

export interface ListOptions {
  /** Include rows marked deleted_here (sync needs them; `archive list` does not). */
  includeDeleted?: boolean;
}

export class ArchiveCache {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #key: string;
  readonly #region: string;
  readonly #legacy: boolean;
  #queries: Queries;
  #pending: Mutation<unknown>[] = [];
  #flushing: Promise<void> | undefined;
  #flushRunning = false;
  #closed = false;

  constructor(store: Store, namespace: CacheNamespace, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
    this.#key = namespaceKey(namespace);
    this.#region = namespace.region;
    this.#legacy = seesLegacyRows(namespace);
    this.#queries = new Queries(store.db, this.#key, this.#legacy);
    store.onReset = () => {
      this.#queries.free();
      this.#queries = new Queries(store.db, this.#key, this.#legacy);
    };
  }

  /** The folder holding db, journal and lock. */
  get dir(): string {
    return this.#store.dir;
  }

  /** #read as a promise: a failure is a rejection, as from the async methods it backs. */
  #readLater<T>(query: (q: Queries) => T): Promise<T> {
    return new Promise((resolve) => {
      resolve(this.#read(query));
    });
  }

  #read<T>(query: (q: Queries) => T): T {
    if (this.#closed) throw new CacheError("the archive cache is closed");
    try {
      this.#store.refresh();
      return query(this.#queries);
    } catch (error) {
      throw sqlFailure(this.#store.dbPath, error);
    }
  }

  /**
   * docs/compatibility.md#archive-refs: live rows matching `id:ID`, `name:NAME` or a bare NAME. A name whose rows
   * include superseded old versions (docs/retention.md) stands for its current ones.
   */
  lookup(vault: string, ref: string): Promise<CachedArchive[]> {
    return this.#readLater((q) => {
      const rows = q.lookup(vault, ref);
      if (rows.length < 2) return rows;
      const superseded = q.superseded(vault);
      const current = rows.filter((a) => !superseded.has(a.id));
      return current.length > 0 ? current : rows;
    });
  }

  /**
   * Rows of a vault ordered by name, NULL first, then insertion order (docs/compatibility.md#commands); superseded
   * archives carry their record (docs/retention.md).
   */
  list(vault: string, options: ListOptions = {}): Promise<CachedArchive[]> {
    return this.#readLater((q) => {
      const rows = q.list(vault, options.includeDeleted ?? false);
      const superseded = q.superseded(vault);
      if (superseded.size === 0) return rows;
      return rows.map((a) => {
        const record = superseded.get(a.id);
        return record ? { ...a, superseded: record } : a;
      });
    });
  }

  /** One archive by id, including one marked deleted. */
  get(vault: string, id: string): Promise<CachedArchive | undefined> {
    return this.#readLater((q) => {
      const row = q.get(vault, id);
      const record = row && q.superseded(vault).get(id);
      return row && (record ? { ...toArchive(row), superseded: record } : toArchive(row));
    });
  }

  /** Live archives whose content matches: the reconcile and `--resume` question. */
  byTreeHash(vault: string, treeHash: string, size: number): Promise<CachedArchive[]> {
    return this.#readLater((q) => q.byTreeHash(vault, treeHash.toLowerCase(), size));
  }

  /** Vaults with a live archive in the cache, sorted. */
  vaults(): Promise<string[]> {
    return this.#readLater((q) => q.vaults());
  }

  uploadIntents(vault: string): Promise<UploadIntent[]> {
    return this.#readLater((q) => q.uploadIntents(vault));
  }

  /**
   * Holds `name` of `vault` against uploads of the same name by other processes sharing this cache
   * (name-lock.ts); resolves to the release function once no other live process holds it.
   */
  lockName(vault: string, name: string, options?: NameLockOptions): Promise<() => void> {
    return lockName(this.#store.dir, this.#key, vault, name, options);
  }

  /** Sees other processes' committed records now (queries also do this themselves). */
  refresh(): Promise<void> {
    return this.#readLater(() => undefined);
  }

  /** docs/cache.md#updates "Upload: insert a row (created_here = now, last_seen_upstream NULL, deleted_here NULL)". */
  recordUpload(vault: string, upload: CompletedUpload): Promise<CachedArchive> {
    return this.#mutate(() => {
      const row = this.#newRow(vault, upload);
      return { ops: [{ op: "put", row, claim: this.#legacy }], result: toArchive(row) };
    });
  }

  /** docs/cache.md#updates "Delete: set deleted_here = now". Undefined when the id is not cached. */
  markDeleted(vault: string, id: string): Promise<CachedArchive | undefined> {
    return this.#mutate(() => {
      const current = this.#queries.get(vault, id);
      if (!current) return { ops: [], result: undefined };
      const row: ArchiveRow = { ...this.#claimed(current), deletedHere: this.#nowSeconds() };
      return { ops: [{ op: "put", row, claim: this.#legacy }], result: toArchive(row) };
    });
  }

  /**
   * Marks archives as no file's current version (docs/retention.md), in one journal record. An
   * archive already marked keeps its time; `manifest` names the manifest written by the superseding
   * reconcile and is set on records that have none yet.
   */
  markSuperseded(vault: string, ids: readonly string[], manifest: string | null = null): Promise<void> {
    return this.#mutate(() => {
      const known = this.#queries.superseded(vault);
      const ops: Op[] = [];
      for (const id of new Set(ids)) {
        const old = known.get(id);
        if (old && (old.manifest !== null || manifest === null)) continue;
        ops.push({
          op: "supersede",
          key: this.#key,
          vault,
          id,
          at: old ? old.at / 1000 : this.#nowSeconds(),
          manifest,
        });
      }
      return { ops, result: undefined };
    });
  }

  /** One inventory reconciliation, applied all or nothing as one journal record. */
  applySync(vault: string, changes: readonly SyncChange[]): Promise<void> {
    return this.#mutate(() => {
      const ops: Op[] = [];
      for (const change of changes) {
        if (change.kind === "close-intent") {
          ops.push({ op: "intent-done", key: this.#key, uploadId: change.uploadId });
          continue;
        }
        const current = this.#queries.get(vault, change.id);
        if (change.kind === "remove") {
          if (current) ops.push({ op: "del", key: current.key, vault, id: change.id, claim: this.#legacy });
          continue;
        }
        if (change.kind === "insert" && !current) {
          const row = this.#newRow(vault, change);
          const deletedHere = change.deletedHere === undefined ? null : toSeconds(change.deletedHere);
          ops.push({
            op: "put",
            row: { ...row, lastSeen: toSeconds(change.lastSeenUpstream), deletedHere },
            claim: this.#legacy,
          });
          continue;
        }
        if (!current) continue; // updated row removed meanwhile by another process: nothing to update
        const set = change.kind === "update" ? change.set : { lastSeenUpstream: change.lastSeenUpstream };
        const row = this.#claimed(current);
        if (set.name !== undefined) row.name = set.name;
        if (set.treeHash !== undefined) row.hash = set.treeHash;
        if (set.size !== undefined) row.size = set.size;
        if (set.creationDate !== undefined) row.creationDate = toSeconds(set.creationDate);
        if (set.lastSeenUpstream !== undefined) row.lastSeen = toSeconds(set.lastSeenUpstream);
        ops.push({ op: "put", row, claim: this.#legacy });
      }
      return { ops, result: undefined };
    });
  }

  /** Recorded before InitiateMultipartUpload returns control, so an interrupted upload resumes. */
  recordUploadIntent(intent: NewUploadIntent): Promise<void> {
    return this.#mutate(() => ({
      ops: [
        {
          op: "intent",
          intent: {
            key: this.#key,
            vault: intent.vault,
            uploadId: intent.uploadId,
            name: intent.name,
            localPath: intent.localPath,
            size: intent.size,
            partSize: intent.partSize,
            treeHash: intent.treeHash,
            started: this.#nowSeconds(),
            owner: formatOwner(processOwner()),
          },
        },
      ],
      result: undefined,
    }));
  }

  recordPart(uploadId: string, part: UploadPart): Promise<void> {
    return this.#mutate(() => ({ ops: [{ op: "part", key: this.#key, uploadId, ...part }], result: undefined }));
  }

  /** Forgets an intent; with `completed`, records the archive in the same journal record. */
  finishUploadIntent(vault: string, uploadId: string, completed?: CompletedUpload): Promise<CachedArchive | undefined> {
    return this.#mutate(() => {
      const ops: Op[] = [{ op: "intent-done", key: this.#key, uploadId }];
      const row = completed && this.#newRow(vault, completed);
      if (row) ops.push({ op: "put", row, claim: this.#legacy });
      return { ops, result: row && toArchive(row) };
    });
  }

  /** The vault's migration ledger (docs/migrate.md#the-ledger), or its entries in one state, by target key. */
  async migrations(vault: string, state?: MigrationState): Promise<MigrationEntry[]> {
    // This process's ledger writes still queued are part of what it reads.
    await this.#flushing;
    return this.#read((q) => q.migrations(vault, state).map(toMigrationEntry));
  }

  /**
   * Moves archives of a migration on, in one journal record (all or none); each entered state's time is
   * now. A CacheError, and nothing written, for a change that would lose track of a copy.
   */
  recordMigration(vault: string, updates: readonly MigrationUpdate[]): Promise<MigrationEntry[]> {
    return this.#mutate(() => {
      const nowSeconds = this.#nowSeconds();
      const rows = new Map<string, ReturnType<typeof nextMigrationRow>>();
      for (const update of updates) {
        const current = rows.get(update.archiveId) ?? this.#queries.migration(vault, update.archiveId);
        rows.set(update.archiveId, nextMigrationRow(current, update, { key: this.#key, vault, nowSeconds }));
      }
      const ops: Op[] = [...rows.values()].map((row) => ({ op: "migration", row }));
      return { ops, result: [...rows.values()].map(toMigrationEntry) };
    });
  }

  /** Folds the journal into the database file now. */
  async checkpoint(): Promise<void> {
    await this.#flushing;
    await this.#store.withLock(() => {
      this.#store.checkpointLocked();
    });
  }

  /** Waits for pending writes, folds a large journal, and releases the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#flushing;
    this.#closed = true;
    try {
      if (this.#store.journalBytes > this.#store.checkpointBytes)
        await this.#store.withLock(() => {
          this.#store.checkpointLocked();
        });
    } finally {
      this.#queries.free();
      this.#store.close();
    }
  }

  #nowSeconds(): number {
    return this.#clock.now() / 1000;
  }

  #newRow(vault: string, a: Omit<CompletedUpload, "creationDate"> & { creationDate?: number | null }): ArchiveRow {
    const now = this.#clock.now();
    return {
      id: a.id,
      key: this.#key,
      region: this.#region,
      vault,
      name: a.name,
      hash: a.treeHash?.toLowerCase() ?? null,
      size: a.size,
      lastSeen: null,
      createdHere: now / 1000,
      deletedHere: null,
      creationDate: toSeconds(a.creationDate === undefined ? now : a.creationDate),
    };
  }

  /** The row moved into our namespace (a glacier-cli row is claimed on its first change). */
  #claimed(row: ArchiveRow): ArchiveRow {
    return { ...row, key: this.#key, region: this.#region };
  }

  #mutate<T>(build: () => { ops: Op[]; result: T }): Promise<T> {
    if (this.#closed) return Promise.reject(new CacheError("the archive cache is closed"));
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ build, resolve: resolve, reject });
      // The flag is cleared in the same synchronous step that sees the queue empty, so a mutation
      // queued at any moment is either taken by the running loop or starts a new one.
      if (!this.#flushRunning) {
        this.#flushRunning = true;
        this.#flushing = this.#flushAll();
      }
    });
  }

  // Group commit: everything submitted while the previous batch was being written goes in the next.
  async #flushAll(): Promise<void> {
    try {
      await new Promise((resolve) => setImmediate(resolve));
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0);
        try {
          await this.#store.commit(batch);
        } catch (error) {
          for (const m of batch) m.reject(error);
        }
      }
    } finally {
      this.#flushRunning = false;
    }
  }
}
