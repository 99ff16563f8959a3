// Writing downloaded bytes so that runs of zeros become holes (docs/restore.md "Sparse files"): a
// sparsebundle band that is mostly zeros occupies a few KiB on disk, and restoring it as 8 MiB of
// written zeros would fill the disk long before the restore ends. Blocks of the file system's block
// size that are all zeros are not written; the caller extends the file to its size at the end
// (ftruncate), so they read as zeros and occupy nothing, as `cp --sparse=always` and `rsync -S` do.
// A block is skipped only where the file holds no data yet (at or past `zeroFrom`, its size when
// opened): in a resumed partial file, an earlier attempt may have left bytes there.
import type { FileHandle } from "node:fs/promises";
import { writeFully } from "./write-fully.ts";

export interface HoleOptions {
  /** The file system's block size (stat's blksize); holes are whole, aligned blocks. */
  blockSize: number;
  /** Blocks that start before this offset are always written. */
  zeroFrom: number;
}

const zeros = new Map<number, Buffer>();

/** Writes `data` at `position`, leaving all-zero blocks unwritten; returns the bytes written. */
export async function writeSparse(
  handle: FileHandle,
  data: Uint8Array,
  position: number,
  holes: HoleOptions,
): Promise<number> {
  const block = holes.blockSize > 0 ? holes.blockSize : 4096;
  let zero = zeros.get(block);
  if (!zero) zeros.set(block, (zero = Buffer.alloc(block)));
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = position + bytes.length;
  let written = 0;
  let runStart = -1;
  const flush = async (upTo: number) => {
    if (runStart < 0) return;
    await writeFully(handle, [bytes.subarray(runStart - position, upTo - position)], runStart);
    written += upTo - runStart;
    runStart = -1;
  };
  // Block boundaries are offsets in the file, not in `data`.
  for (let at = position; at < end;) {
    const next = Math.min(end, (Math.floor(at / block) + 1) * block);
    const length = next - at;
    const hole =
      at >= holes.zeroFrom &&
      Buffer.compare(bytes.subarray(at - position, next - position), zero.subarray(0, length)) === 0;
    if (hole) await flush(at);
    else if (runStart < 0) runStart = at;
    at = next;
  }
  await flush(end);
  return written;
}
