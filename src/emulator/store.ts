// The data DIR: DIR/state.json (all records), DIR/archives/<id> (archive bytes) and <id>.th (their
// MiB chunk digests), DIR/uploads/<id>/ (multipart data and part records), DIR/jobs/<id> (job output).
//
// Concurrency: several processes may serve one DIR at once (git-annex runs several remotes, each
// CLI run starts its own in-process emulator). Every operation that touches state.json runs under
// a cross-process lock (proper-lockfile on DIR/state.json, plus an in-process queue), re-reads the
// file if another process replaced it, and writes it back atomically (temp file + rename). Byte
// transfers run outside the lock; their files get unique names and are renamed into place.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { type EmulatorState, emptyState } from "./state.ts";

const STALE_TMP_MS = 3_600_000;

export class DataStore {
  readonly dir: string;
  #cached: { state: EmulatorState; key: string } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #tmpCounter = 0;
  /** Unique per store instance: several processes (and emulators) share DIR/tmp. */
  readonly #instance = randomBytes(6).toString("hex");

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens DIR, creating it empty (its top-level records those of `region`) if it has no state. */
  static async open(dir: string, region?: string): Promise<DataStore> {
    const store = new DataStore(dir);
    await Promise.all(["archives", "uploads", "jobs", "tmp"].map((d) => mkdir(join(dir, d), { recursive: true })));
    await writeFile(store.statePath, `${JSON.stringify(emptyState(region))}\n`, { flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
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
   * Runs fn on the current state under the lock. fn reports whether it changed the state; only
   * then is state.json rewritten. When fn throws, nothing is saved and the in-memory copy is
   * dropped (fn may have changed it half-way), so the next transaction re-reads the file.
   */
  transact<T>(fn: (state: EmulatorState) => Promise<{ result: T; changed: boolean }>): Promise<T> {
    const run = this.#queue.then(() => this.#locked(fn));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #locked<T>(fn: (state: EmulatorState) => Promise<{ result: T; changed: boolean }>): Promise<T> {
    const release = await lockfile.lock(this.statePath, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 400, factor: 1.3, minTimeout: 2, maxTimeout: 50 },
      // The default throws from a timer (a crash). A lock held for milliseconds is only
      // "compromised" if this process stalled for the whole stale period; the atomic rename keeps
      // state.json whole either way, so carry on.
      onCompromised: () => undefined,
    });
    try {
      const state = await this.#load();
      let outcome: { result: T; changed: boolean };
      try {
        outcome = await fn(state);
      } catch (error) {
        this.#cached = null;
        throw error;
      }
      if (outcome.changed) await this.#save(state);
      return outcome.result;
    } finally {
      await release();
    }
  }

  /** The parsed state, re-read only when another process (or a restart) replaced the file. */
  async #load(): Promise<EmulatorState> {
    const info = await stat(this.statePath);
    const key = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (this.#cached?.key === key) return this.#cached.state;
    const state = JSON.parse(await readFile(this.statePath, "utf8")) as EmulatorState;
    this.#cached = { state, key };
    return state;
  }

  async #save(state: EmulatorState): Promise<void> {
    const tmp = this.tmpPath("state.json");
    try {
      await writeFile(tmp, `${JSON.stringify(state)}\n`);
      await rename(tmp, this.statePath);
    } catch (error) {
      this.#cached = null;
      await rm(tmp, { force: true });
      throw error;
    }
    const info = await stat(this.statePath);
    this.#cached = { state, key: `${info.ino}:${info.size}:${info.mtimeMs}` };
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
