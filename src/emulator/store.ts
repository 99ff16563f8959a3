// The data DIR: DIR/state.json + DIR/state.log (all records: a snapshot and the changes since,
// state-files.ts), DIR/archives/<id> (archive bytes) and <id>.th (their MiB chunk digests),
// DIR/uploads/<id>/ (multipart data and part records), DIR/jobs/<id> (job output).
//
// Concurrency: several processes may serve one DIR at once (git-annex runs several remotes, each
// CLI run starts its own in-process emulator). Every operation that touches the records runs under
// a cross-process lock (proper-lockfile on DIR/state.json, plus an in-process queue), re-reads the
// snapshot if another process replaced it or else replays what others appended to the log, and
// appends its own changes before it answers. Byte transfers run outside the lock; their files get
// unique names and are renamed into place.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { type Tracker, track } from "./change-tracker.ts";
import { type EmulatorState, emptyState } from "./state.ts";
import {
  type LoadedState,
  type StatePaths,
  appendChanges,
  loadState,
  refreshState,
  snapshotKey,
} from "./state-files.ts";

/** What a transaction's function gets besides the state (DataStore.transact). */
export interface Transaction {
  /** The same records untracked: only to read (a change here would not be saved). */
  raw: EmulatorState;
  /** Whether the records were read afresh from the files for this transaction. */
  reloaded: boolean;
  /** Emulator times of other processes' changes replayed for this transaction. */
  replayed: readonly number[];
  /** The emulator time to record with this transaction's changes. */
  stamp(now: number): void;
}

const STALE_TMP_MS = 3_600_000;

export class DataStore {
  readonly dir: string;
  #loaded: LoadedState | null = null;
  readonly #paths: StatePaths;
  /** Values derived from the records (memo), dropped whenever the records change. */
  #derived = new Map<string, unknown>();
  /** The running transaction's tracker (transactions run one at a time). */
  #tracker: Tracker<EmulatorState> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #tmpCounter = 0;
  /** Unique per store instance: several processes (and emulators) share DIR/tmp. */
  readonly #instance = randomBytes(6).toString("hex");

  constructor(dir: string) {
    this.dir = dir;
    this.#paths = { snapshot: this.statePath, log: join(dir, "state.log"), tmp: (label) => this.tmpPath(label) };
  }

  /** Opens DIR, creating it empty (its top-level records those of `region`) if it has no state. */
  static async open(dir: string, region?: string): Promise<DataStore> {
    const store = new DataStore(dir);
    await Promise.all(["archives", "uploads", "jobs", "tmp"].map((d) => mkdir(join(dir, d), { recursive: true })));
    await writeFile(store.statePath, `${JSON.stringify(emptyState(region))}\n`, { flag: "wx" }).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    });
    await store.#sweepTmp();
    return store;
  }

  get statePath(): string {
    return join(this.dir, "state.json");
  }
  archivePath(id: string): string {
    return join(this.dir, "archives", id);
  }
  chunkHashPath(id: string): string {
    return join(this.dir, "archives", `${id}.th`);
  }
  uploadDir(id: string): string {
    return join(this.dir, "uploads", id);
  }
  jobPath(id: string): string {
    return join(this.dir, "jobs", id);
  }
  /** A unique temporary path inside DIR (same file system, so rename is atomic). */
  tmpPath(label: string): string {
    return join(this.dir, "tmp", `${this.#instance}-${++this.#tmpCounter}-${label}`);
  }

  /**
   * Runs fn on the current state under the lock. `state` records what fn sets or deletes
   * (change-tracker.ts), and what it recorded is appended to state.log when fn returns;
   * `tx.raw` is the same records untracked, for reading only (no proxy on every lookup).
   * When fn throws after changing something, nothing is saved and the in-memory copy is dropped
   * (fn may have changed it half-way), so the next transaction re-reads the files.
   */
  transact<T>(fn: (state: EmulatorState, tx: Transaction) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#locked(fn));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #locked<T>(fn: (state: EmulatorState, tx: Transaction) => Promise<T>): Promise<T> {
    const release = await lockfile.lock(this.statePath, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 400, factor: 1.3, minTimeout: 2, maxTimeout: 50 },
      // The default throws from a timer (a crash). A lock held for milliseconds is only
      // "compromised" if this process stalled for the whole stale period; every write is an
      // append of whole lines or an atomic rename, so the files stay whole either way: carry on.
      onCompromised: () => undefined,
    });
    try {
      const { loaded, reloaded } = await this.#load();
      const tracker = track(loaded.state);
      this.#tracker = tracker;
      let time = 0;
      const tx: Transaction = {
        raw: loaded.state,
        reloaded,
        replayed: loaded.replayed,
        stamp: (now) => {
          time = now;
        },
      };
      let result: T;
      try {
        result = await fn(tracker.state, tx);
        if (tracker.changed()) {
          this.#derived.clear();
          await appendChanges(this.#paths, loaded, time, tracker.changes());
        }
      } catch (error) {
        if (tracker.changed()) this.#loaded = null;
        throw error;
      }
      return result;
    } finally {
      this.#tracker = null;
      await release();
    }
  }

  /** The state: re-read when another process (or a restart) replaced state.json, else what others appended replayed. */
  async #load(): Promise<{ loaded: LoadedState; reloaded: boolean }> {
    const key = await snapshotKey(this.statePath);
    if (this.#loaded?.snapshotKey === key && (await refreshState(this.#paths, this.#loaded))) {
      if (this.#loaded.replayed.length > 0) this.#derived.clear();
      return { loaded: this.#loaded, reloaded: false };
    }
    this.#loaded = null;
    this.#derived.clear();
    this.#loaded = await loadState(this.#paths);
    return { loaded: this.#loaded, reloaded: true };
  }

  /**
   * A value derived from the records, computed once until they change (by this process or, seen
   * through the log, another). Only inside a transaction, whose records it must be derived from.
   */
  memo<T>(key: string, compute: () => T): T {
    // Changed by this transaction so far (time's sweep, or the operation itself): derive afresh.
    if (this.#tracker?.changed()) {
      this.#derived.clear();
      return compute();
    }
    if (this.#derived.has(key)) return this.#derived.get(key) as T;
    const value = compute();
    this.#derived.set(key, value);
    return value;
  }

  /**
   * Removes what crashed processes left in DIR/tmp. A file being written by a live process is
   * touched with every batch, so only files idle for an hour go.
   */
  async #sweepTmp(): Promise<void> {
    const dir = join(this.dir, "tmp");
    const cutoff = Date.now() - STALE_TMP_MS;
    for (const name of await readdir(dir)) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(join(dir, name), { force: true, recursive: true });
    }
  }

  async remove(...paths: string[]): Promise<void> {
    await Promise.all(paths.map((p) => rm(p, { recursive: true, force: true })));
  }
}
