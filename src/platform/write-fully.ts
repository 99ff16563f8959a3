// Writing all of some bytes at a file position. A write to a full file system may write part of it
// and report that rather than fail ("the number of bytes written may be less than count if there is
// insufficient space", write(2)); the rest is written again, which then fails with ENOSPC. Left
// unchecked, a download's final truncate would hide the missing bytes as zeros, and the emulator
// would acknowledge an archive whose bytes were hashed but not all stored.
import type { FileHandle } from "node:fs/promises";
import { defined } from "../core/errors.ts";

export async function writeFully(handle: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  const rest = buffers.slice();
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, position);
    if (bytesWritten === 0)
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    position += bytesWritten;
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= defined(rest[0], "rest[0]").length)
      skip -= defined(rest.shift(), "rest.shift()").length;
    if (skip > 0) rest[0] = defined(rest[0], "rest[0]").subarray(skip);
  }
}
