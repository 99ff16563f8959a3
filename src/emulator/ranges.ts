// GetJobOutput ranges (docs/glacier-api.md#job-output): "Range: bytes=S-E is relative to the job output ...
// Clamp E to the end (boto 2 download_to_file asks 4 MiB chunks past the end); invalid ranges ->
// 400 (unverified)."
import { GlacierApiError, invalid } from "./api-error.ts";

export interface ByteRange {
  start: number;
  end: number;
  partial: boolean;
}

/** A well-formed range outside the data: S3 answers 416 to it, and ignores a malformed one. */
export class UnsatisfiableRange extends GlacierApiError {
  constructor(message: string) {
    super("InvalidParameterValueException", message);
  }
}

export function parseRange(header: string | undefined, length: number): ByteRange {
  if (header === undefined || header.trim() === "") return { start: 0, end: length - 1, partial: false };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) throw invalid(`Invalid range: ${header}`);
  let start: number;
  let end: number;
  if (m[1] === "") {
    // Suffix range: the last N bytes.
    start = Math.max(0, length - Number(m[2]));
    end = length - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? length - 1 : Math.min(Number(m[2]), length - 1);
  }
  if (start > end || start >= length)
    throw new UnsatisfiableRange(`The requested range is not satisfiable: ${header} (output length ${length})`);
  return { start, end, partial: true };
}
