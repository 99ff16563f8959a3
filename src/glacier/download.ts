// The download engine (docs/restore.md): the job output is fetched in tree-hash-aligned ranges of
// `chunkSize` (a power-of-two MiB, so every range is a node of the archive's tree), each verified
// against the response's tree hash, or by the parts the job lists as verified (an S3 object's parts,
// each checked by its SHA-256: docs/backends.md#restores); the range hashes fold into the whole archive's hash, checked
// against every tree hash known for the archive: the job's ArchiveSHA256TreeHash and what the tool
// already knows (the cache row from the upload or an inventory, a manifest entry). The service's
// word alone is not enough: a proxy may drop the hash headers, another Glacier may report a size of
// 0 (https://docs.aws.amazon.com/amazonglacier/latest/dev/checksum-calculations.html).
// A file target is written by download-file.ts; a stream target (`-o-`) receives verified ranges
// in order.
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Clock } from "../core/clock.ts";
import { ConsoleError, IntegrityError, ServiceError, defined } from "../core/errors.ts";
import { downloadLayout } from "../core/download-layout.ts";
import { DEFAULT_DOWNLOAD_CHUNK, checkDownloadChunk, parseByteRange, type ByteRange } from "../core/multipart.ts";
import { foldHexHashes } from "../core/tree-hash.ts";
import type { JobDescription } from "../core/types.ts";
import { toFile, type Fetch } from "./download-file.ts";
import type { DownloadIdentity } from "./download-state.ts";
import { fetchRange, type FetchedRange } from "./fetch-range.ts";
import type { GlacierPort } from "./port.ts";

export interface KnownArchive {
  size?: number | null;
  treeHash?: string | null;
  /** Where the tool knows it from, for messages: "the archive cache", "manifest 'm'". */
  source: string;
}

export interface DownloadRequest {
  port: GlacierPort;
  /** A completed archive-retrieval job (DescribeJob). */
  job: JobDescription;
  /** What the tool knew of the archive before asking: checked as well as the service's headers. */
  known?: KnownArchive;
  /** glacier-cli's --multipart-size: validated power-of-two MiB; default 8 MiB. */
  chunkSize?: number;
  /** A file, or a stream (`name` says where it goes, for messages: "standard output"). */
  target: { path: string } | { stream: Writable; name?: string };
  /** Ranges fetched at once (memory: concurrency x chunkSize). Default 2. */
  concurrency?: number;
  clock: Clock;
  random?: () => number;
  onProgress?: (bytesDone: number, total: number) => void;
  signal?: AbortSignal;
  /** File targets: leave all-zero blocks as holes (platform/sparse-write.ts). Default false. */
  sparse?: boolean;
}

export interface DownloadResult {
  size: number;
  treeHash: string;
  /** False when no tree hash was known from any side: the bytes could not be checked. */
  verified: boolean;
  /** Ranges fetched now / found already done in a partial download. */
  rangesFetched: number;
  rangesReused: number;
}

/** The one line to print when a download could not be checked against any tree hash. */
export function unverifiedNotice(label: string): string {
  return (
    `${label}: no tree hash is known for this archive (neither Glacier nor the cache gave one); the bytes ` +
    `written are unverified`
  );
}

export async function downloadArchive(request: DownloadRequest): Promise<DownloadResult> {
  const { job } = request;
  if (job.action !== "ArchiveRetrieval" || job.archiveId === undefined)
    throw new ConsoleError(`job ${job.jobId} is not an archive retrieval`);
  if (job.status === "Failed")
    throw new ServiceError(`retrieval job ${job.jobId} failed: ${job.statusMessage ?? "no reason given"}`, "JobFailed");
  if (job.status !== "Succeeded") throw new ConsoleError(`retrieval job ${job.jobId} has not finished yet`);
  const { size, expected } = outputShape(job, request.known);
  // Parts the service vouches for are the ranges, so each is checked as it arrives and a bad one is
  // fetched again (a byte-range retrieval of a vault job has none).
  const { ranges, chunkSize, byPart } = downloadLayout(
    size,
    checkDownloadChunk(request.chunkSize ?? DEFAULT_DOWNLOAD_CHUNK),
    job.retrievalByteRange === undefined ? job.verifiedParts : undefined,
  );
  const identity: DownloadIdentity = {
    archiveId: job.archiveId,
    expectedTreeHash: expected?.hash ?? null,
    size,
    chunkSize,
  };
  const concurrency = Math.max(1, request.concurrency ?? 2);
  const fetch = (range: ByteRange) =>
    fetchRange({
      port: request.port,
      vault: job.vault,
      jobId: job.jobId,
      start: range.start,
      end: range.end,
      whole: ranges.length === 1,
      ...(byPart ? { part: range.index + 1 } : {}),
      clock: request.clock,
      ...(request.random ? { random: request.random } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  let done = 0;
  const progress = (bytes: number) => request.onProgress?.((done += bytes), size);
  const result =
    "path" in request.target
      ? await toFile({
          path: request.target.path,
          ranges,
          identity,
          concurrency,
          fetch,
          progress,
          sparse: request.sparse ?? false,
          checkWhole: (hashes) => checkWhole(hashes, expected, "nothing was kept"),
        })
      : await toStream(request.target, ranges, concurrency, fetch, progress, expected);
  return { size, verified: expected !== undefined, ...result };
}

interface Expected {
  hash: string;
  /** Who says so, for the mismatch message. */
  source: string;
}

/**
 * The output's size and the tree hash it must have: the job's retrieval range, checked against
 * what the tool knows of the whole archive. A disagreement is refused before a byte is written.
 */
function outputShape(
  job: JobDescription,
  known: KnownArchive | undefined,
): { size: number; expected: Expected | undefined } {
  const knownSize = known?.size ?? undefined;
  if (known && knownSize !== undefined && job.archiveSize !== undefined && knownSize !== job.archiveSize) {
    throw new IntegrityError(
      `Glacier says archive ${job.archiveId} has ${job.archiveSize} bytes, but ${known.source} says ` +
        `${knownSize}; nothing was written`,
    );
  }
  const archiveSize = job.archiveSize ?? knownSize;
  if (archiveSize === undefined)
    throw new ServiceError(`job ${job.jobId} does not give the archive size`, "InternalFailure");
  const range = job.retrievalByteRange ? parseByteRange(job.retrievalByteRange) : undefined;
  if (range && !(range.start === 0 && range.end === archiveSize - 1)) {
    return {
      size: range.end - range.start + 1,
      expected: job.rangeTreeHash ? { hash: job.rangeTreeHash, source: "Glacier" } : undefined,
    };
  }
  const service = job.archiveTreeHash ?? job.rangeTreeHash;
  const knownHash = known?.treeHash ?? undefined;
  if (service !== undefined && knownHash !== undefined && service !== knownHash) {
    throw new IntegrityError(
      `Glacier says archive ${job.archiveId} has tree hash ${service}, ` +
        `but ${defined(known, "known").source} says ${knownHash}; nothing was written`,
    );
  }
  const expected =
    service !== undefined
      ? { hash: service, source: "Glacier" }
      : knownHash !== undefined
        ? { hash: knownHash, source: defined(known, "known").source }
        : undefined;
  return { size: archiveSize, expected };
}

function checkWhole(treeHashes: string[], expected: Expected | undefined, outcome: string): string {
  const treeHash = foldHexHashes(treeHashes);
  if (expected !== undefined && treeHash !== expected.hash) {
    throw new IntegrityError(
      `downloaded archive has tree hash ${treeHash}, but ${expected.source} says ${expected.hash}; ${outcome}`,
    );
  }
  return treeHash;
}

async function toStream(
  { stream, name = "the output" }: { stream: Writable; name?: string },
  ranges: ByteRange[],
  concurrency: number,
  fetch: Fetch,
  progress: (bytes: number) => void,
  expected: Expected | undefined,
): Promise<Omit<DownloadResult, "size" | "verified">> {
  // Up to `concurrency` ranges in flight, written strictly in order as they complete.
  const window: Promise<FetchedRange>[] = [];
  const treeHashes: string[] = [];
  let next = 0;
  let written = 0;
  const refill = () => {
    while (window.length < concurrency && next < ranges.length) {
      const pending = fetch(defined(ranges[next++], "ranges[next++]"));
      pending.catch(() => undefined); // awaited in order below; avoid unhandled rejections meanwhile
      window.push(pending);
    }
  };
  refill();
  while (window.length > 0) {
    const got = await defined(window.shift(), "window.shift()");
    refill();
    treeHashes.push(got.treeHash);
    if (!stream.write(got.data)) await once(stream, "drain");
    written += got.data.length;
    progress(got.data.length);
  }
  // The bytes are gone already: the reader must be told to throw them away.
  const outcome = `${written} bytes were written to ${name} and must be discarded`;
  return { treeHash: checkWhole(treeHashes, expected, outcome), rangesFetched: ranges.length, rangesReused: 0 };
}
