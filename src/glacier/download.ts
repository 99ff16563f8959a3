// The download engine (docs/glacier-api.md#tree-hash-aligned-ranges): the job output is fetched in tree-hash-aligned
// ranges of `chunkSize` (a power-of-two MiB, so every range is a node of the archive's tree), each
// verified against the response's tree hash; the range hashes fold into the whole archive's hash,
// checked against the job's ArchiveSHA256TreeHash (docs/glacier-api.md#tree-hash-aligned-ranges, "Client strategy").
// A file target is written to a temporary file in the same folder, fsynced and renamed, and
// resumes after an interruption; a stream target (`-o-`) receives verified ranges in order.
import { once } from "node:events";
import { open, rename, type FileHandle } from "node:fs/promises";
import { writeSparse } from "../runtime/sparse-write.ts";
import { writeFully } from "../runtime/write-fully.ts";
import { dirname } from "node:path";
import type { Writable } from "node:stream";
import type { Clock } from "../core/clock.ts";
import { ConsoleError, FileError, IntegrityError, ServiceError, describeSystemError } from "../core/errors.ts";
import { DEFAULT_DOWNLOAD_CHUNK, checkDownloadChunk, parseByteRange, splitRanges, type ByteRange } from "../core/multipart.ts";
import { foldHexHashes } from "../core/tree-hash.ts";
import type { JobDescription } from "../core/types.ts";
import { loadProgress, partialPaths, removePartial, saveProgress, type DownloadIdentity } from "./download-state.ts";
import { fetchRange, type FetchedRange } from "./fetch-range.ts";
import type { GlacierPort } from "./port.ts";

/** How much is written between two checkpoints of a partial download. */
const CHECKPOINT_BYTES = 64 * 1024 * 1024;

export interface DownloadRequest {
  port: GlacierPort;
  /** A completed archive-retrieval job (DescribeJob). */
  job: JobDescription;
  /** glacier-cli's --multipart-size: validated power-of-two MiB; default 8 MiB. */
  chunkSize?: number;
  target: { path: string } | { stream: Writable };
  /** Ranges fetched at once (memory: concurrency x chunkSize). Default 2. */
  concurrency?: number;
  clock: Clock;
  random?: () => number;
  onProgress?: (bytesDone: number, total: number) => void;
  signal?: AbortSignal;
  /** File targets: leave all-zero blocks as holes (runtime/sparse-write.ts). Default false. */
  sparse?: boolean;
}

export interface DownloadResult {
  size: number;
  treeHash: string;
  /** Ranges fetched now / found already done in a partial download. */
  rangesFetched: number;
  rangesReused: number;
}

export async function downloadArchive(request: DownloadRequest): Promise<DownloadResult> {
  const { job } = request;
  if (job.action !== "ArchiveRetrieval" || job.archiveId === undefined) throw new ConsoleError(`job ${job.jobId} is not an archive retrieval`);
  if (job.status === "Failed") throw new ServiceError(`retrieval job ${job.jobId} failed: ${job.statusMessage ?? "no reason given"}`, "JobFailed");
  if (job.status !== "Succeeded") throw new ConsoleError(`retrieval job ${job.jobId} has not finished yet`);
  const chunkSize = checkDownloadChunk(request.chunkSize ?? DEFAULT_DOWNLOAD_CHUNK);
  const { size, expected } = outputShape(job);
  const identity: DownloadIdentity = { archiveId: job.archiveId, expectedTreeHash: expected ?? null, size, chunkSize };
  const ranges = splitRanges(size, chunkSize);
  const concurrency = Math.max(1, request.concurrency ?? 2);
  const fetch = (range: ByteRange) =>
    fetchRange({
      port: request.port,
      vault: job.vault,
      jobId: job.jobId,
      start: range.start,
      end: range.end,
      whole: ranges.length === 1,
      clock: request.clock,
      ...(request.random ? { random: request.random } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  let done = 0;
  const progress = (bytes: number) => request.onProgress?.((done += bytes), size);
  const result =
    "path" in request.target
      ? await toFile(request.target.path, ranges, identity, concurrency, fetch, progress, request.sparse ?? false)
      : await toStream(request.target.stream, ranges, concurrency, fetch, progress, expected);
  return { size, ...result };
}

/** The output's size and the tree hash it must have, from the job's retrieval range. */
function outputShape(job: JobDescription): { size: number; expected: string | undefined } {
  if (job.archiveSize === undefined) throw new ServiceError(`job ${job.jobId} does not give the archive size`, "InternalFailure");
  const range = job.retrievalByteRange ? parseByteRange(job.retrievalByteRange) : undefined;
  if (!range || (range.start === 0 && range.end === job.archiveSize - 1)) {
    return { size: job.archiveSize, expected: job.archiveTreeHash ?? job.rangeTreeHash };
  }
  return { size: range.end - range.start + 1, expected: job.rangeTreeHash };
}

function checkWhole(treeHashes: string[], expected: string | undefined): string {
  const treeHash = foldHexHashes(treeHashes);
  if (expected !== undefined && treeHash !== expected) {
    throw new IntegrityError(`downloaded archive has tree hash ${treeHash}, but Glacier says ${expected}; nothing was kept`);
  }
  return treeHash;
}

type Fetch = (range: ByteRange) => Promise<FetchedRange>;

async function toFile(
  path: string,
  ranges: ByteRange[],
  identity: DownloadIdentity,
  concurrency: number,
  fetch: Fetch,
  progress: (bytes: number) => void,
  sparse: boolean,
): Promise<Omit<DownloadResult, "size">> {
  const paths = partialPaths(path);
  const previous = await loadProgress(paths, identity);
  const doneHashes = new Map<number, string>(previous ?? []);
  let handle: FileHandle | undefined;
  try {
    // Resume only when the temporary file is still there; otherwise start from nothing.
    if (previous) handle = await open(paths.temp, "r+").catch(() => undefined);
    if (!handle) {
      doneHashes.clear();
      handle = await open(paths.temp, "w");
    }
  } catch (error) {
    throw new FileError(path, describeSystemError(error), { cause: error });
  }
  const file = handle;
  const holes = sparse ? await file.stat().then((info) => ({ blockSize: info.blksize, zeroFrom: info.size }), () => undefined) : undefined;
  const write = (data: Uint8Array, position: number) => (holes ? writeSparse(file, data, position, holes) : writeFully(file, [data], position));
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
    for (const range of ranges) if (doneHashes.has(range.index)) progress(range.end - range.start + 1);
    const todo = ranges.filter((range) => !doneHashes.has(range.index));
    await runPool(todo, concurrency, async (range) => {
      const got = await fetch(range);
      await write(got.data, range.start).catch((error: unknown) => {
        throw new FileError(path, describeSystemError(error), { cause: error });
      });
      written.set(range.index, got.treeHash);
      fetched++;
      unsynced += got.data.length;
      if (unsynced >= CHECKPOINT_BYTES) await checkpoint();
      progress(got.data.length);
    }).catch(async (error: unknown) => {
      await checkpoint().catch(() => undefined);
      throw error;
    });
    // Every range is written, and the whole file is fsynced below before it is renamed into place.
    // A checkpoint here (datasync, sidecar) would guard only the moment between the two: a crash in
    // it costs the ranges since the last checkpoint, fetched again, and damages nothing. It was one
    // of the two fsyncs of every small download (a 1 KiB chunk of git annex testremote).
    await checkpoints;
    for (const [index, hash] of written) doneHashes.set(index, hash);
    const treeHashes = ranges.map((range) => doneHashes.get(range.index)!);
    let treeHash: string;
    try {
      treeHash = checkWhole(treeHashes, identity.expectedTreeHash ?? undefined);
    } catch (error) {
      await file.close();
      await removePartial(paths);
      throw error;
    }
    await file.truncate(identity.size);
    await file.sync();
    await file.close();
    await renameInto(paths.temp, path);
    await removePartial(paths);
    return { treeHash, rangesFetched: fetched, rangesReused: ranges.length - fetched };
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  }
}

async function renameInto(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
  } catch (error) {
    throw new FileError(path, describeSystemError(error), { cause: error });
  }
  // fsync the folder so the rename itself survives a crash.
  const dir = await open(dirname(path), "r").catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}

async function toStream(
  stream: Writable,
  ranges: ByteRange[],
  concurrency: number,
  fetch: Fetch,
  progress: (bytes: number) => void,
  expected: string | undefined,
): Promise<Omit<DownloadResult, "size">> {
  // Up to `concurrency` ranges in flight, written strictly in order as they complete.
  const window: Promise<FetchedRange>[] = [];
  const treeHashes: string[] = [];
  let next = 0;
  const refill = () => {
    while (window.length < concurrency && next < ranges.length) {
      const pending = fetch(ranges[next++]!);
      pending.catch(() => undefined); // awaited in order below; avoid unhandled rejections meanwhile
      window.push(pending);
    }
  };
  refill();
  while (window.length > 0) {
    const got = await window.shift()!;
    refill();
    treeHashes.push(got.treeHash);
    if (!stream.write(got.data)) await once(stream, "drain");
    progress(got.data.length);
  }
  return { treeHash: checkWhole(treeHashes, expected), rangesFetched: ranges.length, rangesReused: 0 };
}

/** Runs work over items with at most `limit` at once; the first failure stops new work. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && index < items.length) {
      const item = items[index++]!;
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
