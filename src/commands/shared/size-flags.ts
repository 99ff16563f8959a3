// The two size options of the transfer commands, parsed and validated in one place:
// --part-size (1 MiB x 2^k, k = 0..12) and --multipart-size (power-of-two MiB download ranges).
import { UsageError } from "../../core/errors.ts";
import { checkDownloadChunk, checkPartSize, parseByteSize } from "../../core/multipart.ts";

function bytesOf(value: string, flag: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new UsageError(`${flag}: invalid size ${JSON.stringify(value)}`);
  return bytes;
}

/** --part-size, or undefined when not given. */
export function partSizeFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : checkPartSize(bytesOf(value, "--part-size"));
}

/** --multipart-size, or undefined when not given. */
export function downloadChunkFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : checkDownloadChunk(bytesOf(value, "--multipart-size"));
}
