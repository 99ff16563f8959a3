// Part-size choice and byte-range arithmetic for multipart uploads and ranged downloads.
// docs/glacier-api.md#multipart-uploads: "x-amz-part-size = 1 MiB x 2^k, k = 0...12 (1 MiB ... 4 GiB); anything else
// -> 400. <= 10,000 parts." Single UploadArchive: 1 byte to 4 GiB (docs/glacier-api.md#size-limits).
import { UsageError } from "./errors.ts";
import { MiB } from "./tree-hash.ts";

export const MAX_PARTS = 10_000;
export const MAX_PART_SIZE = 4096 * MiB;
/** 10,000 x 4 GiB: the largest archive Glacier accepts. */
export const MAX_ARCHIVE_SIZE = MAX_PARTS * MAX_PART_SIZE;
/**
 * Our smallest automatic part size. Glacier allows 1 MiB, but every part is a billed request
 * ($0.05 per 1,000) and an HTTP round trip; 8 MiB also matches sparsebundle band files, which then
 * go up in one request each.
 */
export const DEFAULT_PART_SIZE = 8 * MiB;
/**
 * Part size when the size is unknown (stdin): 32 MiB x 10,000 parts allows 312 GiB, at a memory
 * cost of concurrency x 32 MiB.
 */
export const DEFAULT_STREAM_PART_SIZE = 32 * MiB;
/** glacier-cli's `--multipart-size` default (docs/compatibility.md#commands: 8388608). */
export const DEFAULT_DOWNLOAD_CHUNK = 8 * MiB;

export interface ByteRange {
  /** Zero-based part or range number. */
  index: number;
  start: number;
  /** Inclusive, as in HTTP Range and Content-Range. */
  end: number;
}

function isPowerOfTwoMiB(bytes: number): boolean {
  if (!Number.isSafeInteger(bytes) || bytes < MiB || bytes % MiB !== 0) return false;
  const mib = bytes / MiB;
  return (mib & (mib - 1)) === 0;
}

/** 1 MiB x 2^k with k = 0..12: the only part sizes Glacier accepts. */
export function isValidPartSize(bytes: number): boolean {
  return isPowerOfTwoMiB(bytes) && bytes <= MAX_PART_SIZE;
}

/** A download range size must be a power-of-two number of MiB so that every range is tree-hash aligned. */
export function isValidDownloadChunk(bytes: number): boolean {
  return isPowerOfTwoMiB(bytes) && bytes <= MAX_PART_SIZE;
}

export function checkPartSize(bytes: number, flag = "--part-size"): number {
  if (!isValidPartSize(bytes)) {
    throw new UsageError(`${flag} must be 1 MiB times a power of two, from 1 MiB (1048576) to 4 GiB (got ${bytes})`);
  }
  return bytes;
}

export function checkDownloadChunk(bytes: number, flag = "--multipart-size"): number {
  if (!isValidDownloadChunk(bytes)) {
    throw new UsageError(`${flag} must be 1 MiB times a power of two, from 1 MiB (1048576) to 4 GiB (got ${bytes})`);
  }
  return bytes;
}

/**
 * The part size for an upload of `size` bytes: the requested one (validated, and big enough for
 * 10,000 parts) or the smallest power of two >= DEFAULT_PART_SIZE that fits in 10,000 parts.
 * Size undefined (a stream): the requested size or DEFAULT_STREAM_PART_SIZE.
 */
export function choosePartSize(size: number | undefined, requested?: number): number {
  if (requested !== undefined) {
    checkPartSize(requested);
    if (size !== undefined && Math.ceil(size / requested) > MAX_PARTS) {
      throw new UsageError(
        `--part-size ${requested} is too small for ${size} bytes: Glacier allows at most ${MAX_PARTS} parts`,
      );
    }
    return requested;
  }
  if (size === undefined) return DEFAULT_STREAM_PART_SIZE;
  if (size > MAX_ARCHIVE_SIZE)
    throw new UsageError(`${size} bytes is more than Glacier's largest archive (${MAX_ARCHIVE_SIZE} bytes)`);
  let part = DEFAULT_PART_SIZE;
  while (Math.ceil(size / part) > MAX_PARTS) part *= 2;
  return part;
}

/** Consecutive ranges of `step` bytes covering [0, size); the last one may be shorter. */
export function splitRanges(size: number, step: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let start = 0, index = 0; start < size; start += step, index++) {
    ranges.push({ index, start, end: Math.min(start + step, size) - 1 });
  }
  return ranges;
}

/** UploadMultipartPart's header: "Content-Range: bytes S-E/*". */
export function contentRange(range: { start: number; end: number }): string {
  return `bytes ${range.start}-${range.end}/*`;
}

/** Parses Glacier's "S-E" (RetrievalByteRange, ListParts RangeInBytes); undefined when malformed. */
export function parseByteRange(text: string): { start: number; end: number } | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  return { start, end };
}

/**
 * Parses a byte count from the command line: plain bytes ("8388608") or a binary suffix
 * ("8M", "8MiB", "1G", "512K"). Undefined when not a positive whole number of bytes.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+)\s*(?:([KMGT])(?:i?B)?|B)?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = { K: 1024, M: MiB, G: 1024 * MiB, T: 1024 * 1024 * MiB }[(match[2] ?? "").toUpperCase()] ?? 1;
  const value = Number(match[1]) * unit;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
