// What reconcile's --trust-mtime trusts: for each file, the size, mtime, ctime and
// inode it had when it was last hashed, and that hash. Kept beside the archive cache as one JSON
// file per (vault, folder), replaced atomically; it is derived data, so a lost or unreadable file
// only means hashing again. Written only with hashes of bytes that were read in full.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite, ensureDir } from "./files.ts";

export interface FileState {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  treeHash: string;
}

export interface StatLike {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

const VERSION = 1;

export class HashState {
  /** Whether files differs from what the file on disk holds (a no-change run writes nothing). */
  #changed = false;

  private constructor(
    readonly path: string,
    readonly files: Map<string, FileState>,
  ) {}

  static async load(cacheDir: string, region: string, vault: string, root: string): Promise<HashState> {
    const id = createHash("sha256").update(`${region}\0${vault}\0${root}`).digest("hex").slice(0, 32);
    const path = join(cacheDir, "hash-state", `${id}.json`);
    const files = new Map<string, FileState>();
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as { version: number; files: Record<string, FileState> };
        if (parsed.version === VERSION)
          for (const [name, state] of Object.entries(parsed.files)) files.set(name, state);
      } catch {
        // Unreadable: start afresh (every file is hashed again).
      }
    }
    const state = new HashState(path, files);
    state.#changed = text === undefined;
    return state;
  }

  /** The recorded hash when size, mtime, ctime and inode all match the file as it is now. */
  trusted(name: string, now: StatLike): string | undefined {
    const state = this.files.get(name);
    if (!state) return undefined;
    const same =
      state.size === now.size &&
      state.mtimeMs === now.mtimeMs &&
      state.ctimeMs === now.ctimeMs &&
      state.ino === now.ino;
    return same ? state.treeHash : undefined;
  }

  record(name: string, stat: StatLike, treeHash: string): void {
    const next = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, treeHash };
    const old = this.files.get(name);
    if (
      old &&
      old.size === next.size &&
      old.mtimeMs === next.mtimeMs &&
      old.ctimeMs === next.ctimeMs &&
      old.ino === next.ino &&
      old.treeHash === next.treeHash
    )
      return;
    this.files.set(name, next);
    this.#changed = true;
  }

  /**
   * Keeps only the names given (files that no longer exist are forgotten) and writes the file, unless
   * nothing changed since it was read (a no-change --trust-mtime run of 10,000 files would otherwise
   * rewrite and fsync a megabyte of JSON every time).
   */
  save(keep: ReadonlySet<string>): void {
    for (const name of this.files.keys()) {
      if (!keep.has(name)) {
        this.files.delete(name);
        this.#changed = true;
      }
    }
    if (!this.#changed) return;
    ensureDir(join(this.path, ".."));
    atomicWrite(this.path, [Buffer.from(JSON.stringify({ version: VERSION, files: Object.fromEntries(this.files) }))]);
  }
}
