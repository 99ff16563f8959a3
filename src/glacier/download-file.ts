// A download into a file (docs/restore.md): one writer per target (target-lock.ts), a temporary
// file beside it created exclusively and never followed (download-state.ts), ranges written as
// they arrive and checkpointed so an interrupted download resumes, and at the end the bytes read
// back from disk and hashed: only bytes verified on disk are renamed into place.
import { open, rename, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { FileError, GlacierCliError, IntegrityError, describeSystemError, defined } from "../core/errors.ts";
import type { ByteRange } from "../core/multipart.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import { writeSparse } from "../platform/sparse-write.ts";
import { writeFully } from "../platform/write-fully.ts";
import {
  createExclusive,
  loadProgress,
  partialPaths,
  removePartial,
  reopenPartial,
  saveProgress,
  type DownloadIdentity,
} from "./download-state.ts";
import type { FetchedRange } from "./fetch-range.ts";
import { lockTarget } from "./target-lock.ts";

/** How much is written between two checkpoints of a partial download. */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;
const READ_BACK_CHUNK = 4 * 1024 * 1024;

export type Fetch = (range: ByteRange) => Promise<FetchedRange>;

export interface FileDownload {
  path: string;
  ranges: ByteRange[];
  identity: DownloadIdentity;
  concurrency: number;
  fetch: Fetch;
  progress: (bytes: number) => void;
  /** Leave all-zero blocks as holes (platform/sparse-write.ts). */
  sparse: boolean;
  /** Folds the range hashes into the whole one and throws if it is not the expected one. */
  checkWhole: (treeHashes: string[]) => string;
}

export async function toFile(
  job: FileDownload,
): Promise<{ treeHash: string; rangesFetched: number; rangesReused: number }> {
  const paths = partialPaths(job.path);
  const release = lockTarget(paths.lock, job.path);
  try {
    return await underLock(job, paths);
  } finally {
    release();
  }
}

async function underLock(
  job: FileDownload,
  paths: ReturnType<typeof partialPaths>,
): Promise<{ treeHash: string; rangesFetched: number; rangesReused: number }> {
  const { path, ranges, identity } = job;
  const previous = await loadProgress(paths, identity);
  const doneHashes = new Map<number, string>(previous ?? []);
  let handle: FileHandle | undefined;
  try {
    // Resume only when the temporary file is still there (and ours); otherwise start from nothing.
    if (previous) handle = await reopenPartial(paths.temp);
    if (!handle) {
      doneHashes.clear();
      handle = await createExclusive(paths.temp);
    }
  } catch (error) {
    throw new FileError(paths.temp, describeSystemError(error), { cause: error });
  }
  const file = handle;
  const holes = job.sparse
    ? await file.stat().then(
        (info) => ({ blockSize: info.blksize, zeroFrom: info.size }),
        () => undefined,
      )
    : undefined;
  const write = (data: Uint8Array, position: number) =>
    holes ? writeSparse(file, data, position, holes) : writeFully(file, [data], position);
  // Ranges written but not yet fsynced: a checkpoint (datasync, then the sidecar) makes them
  // durable every CHECKPOINT_BYTES and before an error is reported, rather than after every range.
  const written = new Map<number, string>();
  let unsynced = 0;
  let checkpoints = Promise.resolve();
  const checkpoint = () => {
    checkpoints = checkpoints.then(async () => {
      if (written.size === 0) return;
      const batch = [...written];
      written.clear();
      unsynced = 0;
      // The data must be durable before the sidecar claims it.
      await file.datasync();
      for (const [index, hash] of batch) doneHashes.set(index, hash);
      await saveProgress(paths, identity, doneHashes);
    });
    return checkpoints;
  };
  let fetched = 0;
  try {
    for (const range of ranges) if (doneHashes.has(range.index)) job.progress(range.end - range.start + 1);
    const todo = ranges.filter((range) => !doneHashes.has(range.index));
    await runPool(todo, job.concurrency, async (range) => {
      const got = await job.fetch(range);
      await write(got.data, range.start).catch((error: unknown) => {
        throw new FileError(path, describeSystemError(error), { cause: error });
      });
      written.set(range.index, got.treeHash);
      fetched++;
      unsynced += got.data.length;
      if (unsynced >= CHECKPOINT_BYTES) await checkpoint();
      job.progress(got.data.length);
    }).catch(async (error: unknown) => {
      await checkpoint().catch(() => undefined);
      throw error;
    });
    // Every range is written, and the whole file is fsynced below before it is renamed into place.
    // A checkpoint here (datasync, sidecar) would guard only the moment between the two: a crash in
    // it costs the ranges since the last checkpoint, fetched again, and damages nothing.
    await checkpoints;
    for (const [index, hash] of written) doneHashes.set(index, hash);
    let treeHash: string;
    try {
      treeHash = job.checkWhole(
        ranges.map((range) => defined(doneHashes.get(range.index), "doneHashes.get(range.index)")),
      );
      await file.truncate(identity.size);
      await file.sync();
      await readBack(file, identity.size, treeHash, path);
    } catch (error) {
      await file.close().catch(() => undefined);
      await removePartial(paths);
      throw error;
    }
    await file.close();
    await renameInto(paths.temp, path);
    await removePartial(paths);
    return { treeHash, rangesFetched: fetched, rangesReused: ranges.length - fetched };
  } catch (error) {
    await file.close().catch(() => undefined);
    // A system error of the file (EIO on fsync, ENOSPC on truncate) is one line naming the file.
    const system = !(error instanceof GlacierCliError) && typeof (error as NodeJS.ErrnoException).code === "string";
    throw system ? new FileError(path, describeSystemError(error), { cause: error }) : error;
  }
}

/**
 * The bytes on disk hashed again before the rename: the range hashes were taken from memory, and
 * the temporary file could have been changed under us (another program, a resumed file written by
 * an older run, a disk that lost a write).
 */
async function readBack(file: FileHandle, size: number, expected: string, path: string): Promise<void> {
  const hasher = new TreeHasher();
  const buffer = Buffer.allocUnsafe(Math.min(READ_BACK_CHUNK, Math.max(size, 1)));
  let position = 0;
  while (position < size) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    hasher.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  const onDisk = hasher.hexDigest();
  if (position !== size || onDisk !== expected) {
    throw new IntegrityError(
      `${path}: the bytes written to disk (${position} bytes, tree hash ${onDisk}) are not those downloaded (` +
        `${size} bytes, ${expected}); nothing was kept, run the same command again`,
    );
  }
}

async function renameInto(temp: string, path: string): Promise<void> {
  try {
    // rename replaces whatever is at the final name, a symbolic link included, and never follows it.
    await rename(temp, path);
  } catch (error) {
    throw new FileError(path, describeSystemError(error), { cause: error });
  }
  // fsync the folder so the rename itself survives a crash.
  const dir = await open(dirname(path), "r").catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}

/** Runs work over items with at most `limit` at once; the first failure stops new work. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && index < items.length) {
      const item = defined(items[index++], "items[index++]");
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
