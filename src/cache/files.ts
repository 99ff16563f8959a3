// Small filesystem steps with the durability the cache promises: files
// 0600 in a 0700 folder, replace-by-rename with fsync of the file and of the folder.
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { CacheError, describeSystemError } from "../core/errors.ts";

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export function cacheFailure(what: string, path: string, error: unknown): CacheError {
  if (error instanceof CacheError) return error;
  // EFBIG (a file size limit) is how a quota-limited disk often says it is full.
  const reason =
    (error as NodeJS.ErrnoException | undefined)?.code === "EFBIG" ? "File too large" : describeSystemError(error);
  return new CacheError(`cannot ${what} ${path}: ${reason}`, { cause: error });
}

/** Creates the cache folder (and parents) 0700 if missing; fails clearly if it is not a folder. */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("Not a directory"), { code: "ENOTDIR" });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw cacheFailure("create the archive cache folder", dir, error);
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes chunks to `path` atomically: a temporary file beside it, fsync, rename, fsync of the folder.
 * On any failure the temporary file is removed and `path` is left as it was.
 */
export function atomicWrite(path: string, chunks: readonly Uint8Array[]): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, "w", FILE_MODE);
    try {
      for (const chunk of chunks) {
        for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}
