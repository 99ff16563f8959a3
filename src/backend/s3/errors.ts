// S3 failures -> our closed error set, one line each (docs/backends.md#errors). Socket, timeout and
// credential failures are mapped as for the vault plugin; S3's own codes get S3 wording, and its
// transient answers (5xx, SlowDown) the code the retry layer repeats ("HTTP 503").
import { GlacierCliError, ServiceError } from "../../core/errors.ts";
import { mapSdkError } from "../../glacier/error-map.ts";

export interface S3ErrorContext {
  operation: string;
  /** s3://BUCKET/KEY the request was about. */
  target: string;
  endpoint: string;
  region: string;
}

interface S3ErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function mapS3Error(error: unknown, context: S3ErrorContext): GlacierCliError {
  if (error instanceof GlacierCliError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as S3ErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const code = shape.Code ?? (shape.name && shape.name !== "Error" && shape.name !== "UnknownError" ? shape.name : "");
  const options = { cause: error };
  const message = (shape.message ?? "").replace(/\s*\n\s*/g, " ").trim();
  if (status === undefined || code === "TimeoutError" || code === "CredentialsProviderError") {
    const mapped = mapSdkError(error, {
      operation: context.operation,
      endpoint: context.endpoint,
      region: context.region,
    });
    return mapped instanceof ServiceError ? rename(mapped) : mapped;
  }
  if (status >= 500 || code === "SlowDown")
    return new ServiceError(
      `S3 ${context.operation} failed: ${code || `HTTP ${status}`}: ${message}`,
      `HTTP ${status}`,
      options,
    );
  switch (code) {
    case "NoSuchBucket":
      return new ServiceError(
        `bucket of ${context.target} not found at ${context.endpoint}`,
        "ResourceNotFoundException",
        options,
      );
    case "NoSuchKey":
    case "NotFound":
      return new ServiceError(`${context.target}: no such object`, "ResourceNotFoundException", options);
    case "NoSuchUpload":
      return new ServiceError(`${context.target}: the multipart upload is gone`, "ResourceNotFoundException", options);
    case "AccessDenied":
      return new ServiceError(`access denied by S3 (${context.operation} ${context.target})`, code, options);
    case "SignatureDoesNotMatch":
      return new ServiceError(
        "S3 rejected the request signature: check the secret access key and the computer's clock",
        code,
        options,
      );
    case "InvalidAccessKeyId":
      return new ServiceError("S3 does not recognise the access key ID: check the credentials", code, options);
    case "BadDigest":
    case "InvalidDigest":
      return new ServiceError(
        `S3 refused ${context.target}: the body does not match its checksum`,
        "ChecksumMismatch",
        options,
      );
    default:
      return new ServiceError(
        `S3 ${context.operation} ${context.target} failed: ${code || `HTTP ${status}`}: ${message}`,
        code || `HTTP ${status}`,
        options,
      );
  }
}

// The vault plugin's wording names Glacier; the same failure here is S3's.
function rename(error: ServiceError): ServiceError {
  return new ServiceError(error.message.replace(/\bGlacier\b/g, "S3"), error.code, { cause: error.cause });
}
