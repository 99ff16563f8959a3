// Fetches one range of a job's output into memory and verifies it against the response's x-amz-sha256-tree-hash
// (docs/glacier-api.md#tree-hash-aligned-ranges: present for archive jobs when the range is tree-hash aligned)
// or the SHA-256 the service keeps for it (an S3 part read by number, or a whole object: docs/backends.md#restores).
// A short body, a reset or a stall mid-body or a checksum mismatch is retried with backoff; the request itself
// is already retried by retryingPort, so the body layer retries only what happens to the body (retrying the
// request's failures again would multiply the attempts).
import type { Clock } from "../core/clock.ts";
import { IntegrityError, ServiceError, defined } from "../core/errors.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import { spentChunk } from "../platform/spent-chunks.ts";
import type { GlacierPort, JobOutput } from "./port.ts";
import { withRetry, type RetryPolicy } from "./retry.ts";

export const BODY_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

const BODY_FAILURES = new Set(["TruncatedBody", "ChecksumMismatch", "BodyError"]);

export interface FetchedRange {
  data: Buffer;
  /** Tree hash of data, computed here. */
  treeHash: string;
  /** Whether the service sent a tree hash or a SHA-256 for this range and it matched. */
  verifiedByHeader: boolean;
  /** Plain SHA-256 of data (hex), computed in the same pass: only when asked for with `linear`. */
  sha256?: string;
}

export interface FetchRangeInput {
  port: GlacierPort;
  vault: string;
  jobId: string;
  start: number;
  end: number;
  /** True when [start, end] is the whole output: sent without a Range header. */
  whole: boolean;
  /** Read part `part` of the job's verifiedParts (which must be bytes start-end) instead of a range. */
  part?: number;
  clock: Clock;
  random?: () => number;
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /**
   * Where to read the bytes (its first end-start+1): a buffer the caller reuses, which `data` then is
   * a view of. A new buffer when absent.
   */
  into?: Buffer;
  /** Also compute the plain SHA-256 of the range (an S3 part's checksum). */
  linear?: boolean;
}

export async function fetchRange(input: FetchRangeInput): Promise<FetchedRange> {
  const label = `bytes ${input.start}-${input.end} of job ${input.jobId}`;
  try {
    return await withRetry(() => fetchOnce(input, label), {
      policy: input.policy ?? BODY_RETRY,
      clock: input.clock,
      retryable: (error) => error instanceof ServiceError && BODY_FAILURES.has(error.code ?? ""),
      ...(input.random ? { random: input.random } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (error) {
    if (error instanceof ServiceError && error.code === "ChecksumMismatch")
      throw new IntegrityError(error.message, { cause: error });
    throw error;
  }
}

async function fetchOnce(input: FetchRangeInput, label: string): Promise<FetchedRange> {
  const expected = input.end - input.start + 1;
  const output = await input.port.getJobOutput({
    vault: input.vault,
    jobId: input.jobId,
    ...(input.whole ? {} : { range: { start: input.start, end: input.end } }),
    ...(input.part !== undefined ? { part: input.part } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (input.part !== undefined) checkPartRange(output, input, label);
  if (input.into && input.into.length < expected)
    throw new RangeError(`a buffer of ${input.into.length} bytes cannot hold ${label}`);
  const data = input.into ? input.into.subarray(0, expected) : Buffer.allocUnsafe(expected);
  // The SHA-256 of the bytes, when the service vouches for one, is computed in the tree hash's pass.
  const linear = input.linear === true || output.sha256 !== undefined;
  const hasher = new TreeHasher({ linear });
  let received = 0;
  try {
    for await (const chunk of output.body) {
      const bytes = chunk as Buffer;
      if (received + bytes.length > expected) {
        throw new ServiceError(`Glacier sent more than the ${expected} bytes asked for (${label})`, "TooLong");
      }
      bytes.copy(data, received);
      hasher.update(bytes);
      received += bytes.length;
      // Copied and hashed: the chunk is garbage now, and this count has it collected in time.
      spentChunk(bytes.length);
    }
  } catch (error) {
    output.body.destroy();
    if (error instanceof ServiceError) throw error;
    // The SDK's socket timeout (sdk.ts: stallTimeoutMs) destroys a body that stopped arriving.
    if ((error as Error).name === "TimeoutError") {
      throw new ServiceError(
        `Glacier at ${input.port.endpoint} stopped sending (${label}): no byte within the stall timeout`,
        "BodyError",
        { cause: error },
      );
    }
    throw new ServiceError(`download interrupted (${label}): ${(error as Error).message}`, "BodyError", {
      cause: error,
    });
  }
  if (received !== expected) {
    throw new ServiceError(`download cut short: ${received} of ${expected} bytes (${label})`, "TruncatedBody");
  }
  const treeHash = hasher.hexDigest();
  if (output.treeHash !== undefined && output.treeHash !== treeHash) {
    throw new ServiceError(
      `checksum mismatch for ${label}: Glacier says ${output.treeHash}, the bytes received hash to ${treeHash}`,
      "ChecksumMismatch",
    );
  }
  const sha256 = linear ? hasher.linearHexDigest() : undefined;
  if (output.sha256 !== undefined && output.sha256 !== sha256) {
    throw new ServiceError(
      `checksum mismatch for ${label}: the service says SHA-256 ${output.sha256}, ` +
        `the bytes received hash to ${sha256 ?? "nothing"}`,
      "ChecksumMismatch",
    );
  }
  return {
    data,
    treeHash,
    verifiedByHeader: output.treeHash !== undefined || output.sha256 !== undefined,
    ...(input.linear ? { sha256: defined(sha256, "sha256") } : {}),
  };
}

/** A part that is not the bytes the job's parts put there: the layout was wrong, asking again cannot help. */
function checkPartRange(output: JobOutput, input: FetchRangeInput, label: string): void {
  const range = /^bytes (\d+)-(\d+)\//.exec(output.contentRange ?? "");
  if (range && Number(range[1]) === input.start && Number(range[2]) === input.end) return;
  output.body.destroy();
  throw new IntegrityError(
    `part ${input.part ?? 0} is ${output.contentRange ?? "sent without a Content-Range"}, not the ${label}; ` +
      `the object's parts are not of equal size`,
  );
}
