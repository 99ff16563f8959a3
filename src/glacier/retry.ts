// Retries with exponential backoff and full jitter, on an injected Clock. This is the ONLY retry
// layer: the SDK client is built with maxAttempts 1 (sdk.ts), so attempts never multiply.
// What is transient follows the SDK's own standard classification (docs/glacier-api.md#errors): HTTP
// 500/502/503/504, throttling, RequestTimeoutException (408) and socket errors.
import type { Clock } from "../core/clock.ts";
import { ServiceError, defined } from "../core/errors.ts";
import type { GlacierPort } from "./port.ts";

export interface RetryPolicy {
  /** Total attempts, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Control calls (list, describe, initiate): at most ~1.5 s of waiting. */
export const CONTROL_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 };
/** Data transfers (parts, ranges): at most ~32 s of waiting per part, never minutes. */
export const TRANSFER_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 16_000 };

const TRANSIENT_CODES = new Set([
  "ThrottlingException",
  // 503 on InitiateJob: "Please try again later" (Expedited capacity).
  "InsufficientCapacityException",
  "ServiceUnavailableException",
  "RequestTimeoutException",
  "InternalFailure",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "TimeoutError",
]);
/** Failures after which the request may have taken effect; unsafe to repeat a non-idempotent call. */
const AMBIGUOUS_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "TimeoutError"]);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof ServiceError) || error.code === undefined) return false;
  return TRANSIENT_CODES.has(error.code) || /^HTTP (?:408|5\d\d)$/.test(error.code);
}

/** Transient, and certainly not applied by the service (an error response, or no connection). */
export function isSafeToRepeat(error: unknown): boolean {
  return isTransient(error) && !AMBIGUOUS_CODES.has((error as ServiceError).code ?? "");
}

/** Full jitter: a random delay in [0, min(max, base x 2^(attempt-1))). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  random?: () => number;
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

export async function withRetry<T>(attemptOnce: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryable = options.retryable ?? isTransient;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(attempt);
    } catch (error) {
      if (!retryable(error) || options.signal?.aborted) throw error;
      if (attempt >= options.policy.attempts) throw gaveUp(error, attempt);
      const delay = backoffDelay(attempt, options.policy, random);
      options.onRetry?.(error, attempt, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}

function gaveUp(error: unknown, attempts: number): unknown {
  if (!(error instanceof ServiceError) || attempts <= 1) return error;
  return new ServiceError(`${error.message} (gave up after ${attempts} attempts)`, error.code, { cause: error });
}

export interface RetryingPortOptions {
  clock: Clock;
  random?: () => number;
  control?: RetryPolicy;
  transfer?: RetryPolicy;
  onRetry?: (operation: string, error: unknown, attempt: number, delayMs: number) => void;
}

/** The port with every call retried: transfers with TRANSFER_RETRY, the rest with CONTROL_RETRY. */
export function retryingPort(port: GlacierPort, options: RetryingPortOptions): GlacierPort {
  const control = options.control ?? CONTROL_RETRY;
  const transfer = options.transfer ?? TRANSFER_RETRY;
  const run = <T>(
    operation: string,
    policy: RetryPolicy,
    call: () => Promise<T>,
    retryable = isTransient,
    signal?: AbortSignal,
  ) =>
    withRetry(call, {
      policy,
      clock: options.clock,
      retryable,
      ...(options.random ? { random: options.random } : {}),
      ...(signal ? { signal } : {}),
      onRetry: (error, attempt, delay) => options.onRetry?.(operation, error, attempt, delay),
    });
  return {
    region: port.region,
    endpoint: port.endpoint,
    listVaults: () => run("ListVaults", control, () => port.listVaults()),
    createVault: (vault) => run("CreateVault", control, () => port.createVault(vault)),
    describeVault: (vault) => run("DescribeVault", control, () => port.describeVault(vault)),
    deleteVault: (vault) => run("DeleteVault", control, () => port.deleteVault(vault)),
    // A reset after the body went out may have created the archive, so repeating it can leave a duplicate; not
    // repeating it fails the backup of that file (the README's Reliability section: 10% of faults, resets mid upload
    // among them, must still end in exit 0). A duplicate costs storage and is listed by `vault sync`; a missing
    // archive loses a backup: transient failures are repeated. The answer says when that happened, so the upload
    // engine can leave an intent for `vault sync` to find it.
    uploadArchive: async (input) => {
      let ambiguous = false as boolean; // set by the catch below, which TypeScript's narrowing does not see
      const created = await run("UploadArchive", transfer, () =>
        port.uploadArchive(input).catch((error: unknown) => {
          if (isTransient(error) && !isSafeToRepeat(error)) ambiguous = true;
          throw error;
        }),
      );
      return ambiguous ? { ...created, earlierAttemptMayHaveStored: true } : created;
    },
    initiateMultipart: (input) => run("InitiateMultipartUpload", control, () => port.initiateMultipart(input)),
    // "Re-uploading a range overwrites (idempotent)" (docs/glacier-api.md#multipart-uploads).
    uploadPart: (input) => run("UploadMultipartPart", transfer, () => port.uploadPart(input)),
    // A successful Complete is idempotent for a short time, same archive id (docs/glacier-api.md#multipart-uploads).
    completeMultipart: (input) => run("CompleteMultipartUpload", control, () => port.completeMultipart(input)),
    abortMultipart: (vault, uploadId) =>
      run("AbortMultipartUpload", control, () => port.abortMultipart(vault, uploadId)),
    listParts: (vault, uploadId) => run("ListParts", control, () => port.listParts(vault, uploadId)),
    listMultipartUploads: (vault) => run("ListMultipartUploads", control, () => port.listMultipartUploads(vault)),
    deleteArchive: (vault, archiveId) => run("DeleteArchive", control, () => port.deleteArchive(vault, archiveId)),
    initiateJob: (vault, request) => run("InitiateJob", control, () => port.initiateJob(vault, request)),
    describeJob: (vault, jobId) => run("DescribeJob", control, () => port.describeJob(vault, jobId)),
    listJobs: (vault, listOptions) => run("ListJobs", control, () => port.listJobs(vault, listOptions)),
    getJobOutput: (input) => run("GetJobOutput", transfer, () => port.getJobOutput(input), isTransient, input.signal),
    ...(port.findArchive
      ? {
          findArchive: (vault: string, description: string) =>
            run("FindArchive", control, () => defined(port.findArchive?.bind(port), "findArchive")(vault, description)),
        }
      : {}),
    ...(port.keepsReplacedVersions
      ? {
          keepsReplacedVersions: (vault: string) =>
            run("KeepsReplacedVersions", control, () =>
              defined(port.keepsReplacedVersions?.bind(port), "keepsReplacedVersions")(vault),
            ),
        }
      : {}),
    close: () => port.close(),
  };
}
