// Sending a slice of a file (job output) to the socket. A read stream allocates a new 1 MiB Buffer
// per read, which the kernel must fault in and the GC must collect: about a third of the
// emulator's CPU when serving a download (profiled on a 1 GiB ranged download). Here two buffers
// are reused: one is read from disk while the other is being written to the socket, and a buffer is
// read into again only once the socket has taken all of it (the write callback).
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import type { FileSlice } from "./http.ts";
import { defined } from "../core/errors.ts";

const BLOCK = 1024 * 1024;
/** Buffers between responses: a download of any size holds two. */
const spare: Buffer[] = [];

function write(out: Writable, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/** The name of segment `index` (from 0) in a segmented slice's folder. */
export const segmentName = (index: number): string => String(index + 1).padStart(5, "0");

/** The plain file slices a slice is made of: itself, or the pieces of its segments that it covers. */
export function slicePieces(slice: FileSlice): FileSlice[] {
  if (!slice.segments) return [slice];
  const pieces: FileSlice[] = [];
  const end = slice.start + slice.length;
  let offset = 0;
  slice.segments.forEach((size, index) => {
    const from = Math.max(slice.start, offset);
    const to = Math.min(end, offset + size);
    if (from < to) pieces.push({ path: join(slice.path, segmentName(index)), start: from - offset, length: to - from });
    offset += size;
  });
  return pieces;
}

/** Writes the slice's bytes to `out` and ends it. Rejects if a file is shorter or `out` fails. */
export async function sendFileSlice(out: Writable, slice: FileSlice): Promise<void> {
  for (const piece of slicePieces(slice)) await sendPiece(out, piece);
  out.end();
}

async function sendPiece(out: Writable, slice: FileSlice): Promise<void> {
  const handle = await open(slice.path, "r");
  const buffers = [spare.pop() ?? Buffer.allocUnsafeSlow(BLOCK), spare.pop() ?? Buffer.allocUnsafeSlow(BLOCK)];
  // A connection that closes early never calls back some writes: stop waiting for them then.
  let onClose!: () => void;
  const closed = new Promise<never>(
    (_, reject) =>
      (onClose = () => {
        reject(new Error("connection closed"));
      }),
  );
  closed.catch(() => undefined);
  out.once("close", onClose);
  let writing: Promise<void> = Promise.resolve();
  try {
    const end = slice.start + slice.length;
    for (let position = slice.start, turn = 0; position < end; turn++) {
      const buffer = defined(buffers[turn % 2], "buffers[turn % 2]");
      const { bytesRead } = await handle.read(buffer, 0, Math.min(BLOCK, end - position), position);
      if (bytesRead === 0) throw new Error(`${slice.path}: file ended at byte ${position} of ${end}`);
      position += bytesRead;
      // The other buffer's write must be done before this one starts, or before it is read into.
      await Promise.race([writing, closed]);
      writing = write(out, buffer.subarray(0, bytesRead));
      writing.catch(() => undefined);
    }
    await Promise.race([writing, closed]);
  } finally {
    out.off("close", onClose);
    await handle.close();
    // Reused once the last write is done; a write that never completes keeps its buffers out.
    writing.then(
      () => spare.push(...buffers),
      () => undefined,
    );
  }
}
