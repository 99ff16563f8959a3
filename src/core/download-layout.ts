// How a download is cut into ranges (docs/backends.md#restores): by the parts the service vouches
// for when a job lists them and they can be folded into the archive's tree hash, else in ranges of
// the chosen chunk size.
import { isValidDownloadChunk, splitRanges, type ByteRange } from "./multipart.ts";

export interface DownloadLayout {
  ranges: ByteRange[];
  /** The range size (the sidecar of a partial download records it). */
  chunkSize: number;
  /** Each range is a part of verifiedParts, read by its number (index + 1). */
  byPart: boolean;
}

export function downloadLayout(
  size: number,
  chunkSize: number,
  parts: { partSize: number; count: number } | undefined,
): DownloadLayout {
  if (parts && size > 0 && fits(size, parts)) {
    // One part: read whole (its checksum is the object's); several: by number.
    const step = parts.count === 1 ? size : parts.partSize;
    return { ranges: splitRanges(size, step), chunkSize: step, byPart: parts.count > 1 };
  }
  return { ranges: splitRanges(size, chunkSize), chunkSize, byPart: false };
}

/**
 * The parts cover exactly `size` bytes in equal parts but the last, and each but the last is a node
 * of the tree hash (a power-of-two MiB), so the parts' tree hashes fold into the archive's.
 */
function fits(size: number, parts: { partSize: number; count: number }): boolean {
  if (parts.count === 1) return parts.partSize === size;
  return (
    Number.isSafeInteger(parts.count) &&
    parts.count > 1 &&
    isValidDownloadChunk(parts.partSize) &&
    Math.ceil(size / parts.partSize) === parts.count
  );
}
