// SDK and socket failures -> our closed error set, one line each (docs/architecture.md#how-a-command-flows: "never a
// stack trace for anything a user can cause"). Works on the error's shape (name, $metadata, code), so it needs no SDK
// import. Codes: docs/glacier-api.md#errors.
import {
  GlacierCliError,
  NoCredentialsError,
  ServiceError,
  VaultNotEmptyError,
  VaultNotFoundError,
  describeSystemError,
} from "../core/errors.ts";

export interface ErrorContext {
  /** Glacier operation name, e.g. "UploadMultipartPart". */
  operation: string;
  vault?: string;
  endpoint: string;
  region: string;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  errors?: unknown[];
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

// Operations whose only resource is the vault: their ResourceNotFoundException can only mean the vault
// (for the others it may be the archive, job or upload, and the service's own message says which).
const VAULT_ONLY_OPERATIONS = new Set([
  "DescribeVault",
  "DeleteVault",
  "UploadArchive",
  "InitiateMultipartUpload",
  "ListJobs",
  "ListMultipartUploads",
]);

export const NO_CREDENTIALS_MESSAGE =
  "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with " +
  "--profile or AWS_PROFILE, or use --endpoint-url local:DIR";

export function mapSdkError(error: unknown, context: ErrorContext): GlacierCliError {
  if (error instanceof GlacierCliError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const message = oneLine(shape.message ?? String(error));
  const options = { cause: error };

  if (shape.name === "CredentialsProviderError") {
    return new NoCredentialsError(NO_CREDENTIALS_MESSAGE, options);
  }
  const network = networkCode(shape);
  if (network) {
    const reason =
      network === "ENOTFOUND" || network === "EAI_AGAIN"
        ? "host name not found"
        : describeSystemError({ code: network });
    return new ServiceError(`cannot reach Glacier at ${context.endpoint}: ${reason}`, network, options);
  }
  if (shape.name === "TimeoutError") {
    return new ServiceError(
      `Glacier at ${context.endpoint} did not answer in time (${context.operation})`,
      "TimeoutError",
      options,
    );
  }
  // The SDK's "Deserialization error: to see the raw response, inspect the hidden field
  // {error}.$response" is advice for its programmers: the user needs to know the service (or
  // something between) answered with a body that is not the API's JSON, and what to check.
  // The SDK attaches the raw response to whatever failed while reading a reply; a service error it
  // could read carries its fault ("client" or "server") as well.
  if (shape.$response !== undefined && shape.$fault === undefined) {
    const httpStatus = shape.$response.statusCode ?? shape.$metadata?.httpStatusCode;
    return new ServiceError(
      `Glacier at ${context.endpoint} sent a malformed reply to ${context.operation}` +
        `${httpStatus ? ` (HTTP ${httpStatus})` : ""}: ` +
        ("its body is not the JSON the Glacier API defines; if this repeats, check the endpoint URL and any " +
          "proxy in between"),
      "MalformedReply",
      options,
    );
  }
  const status = shape.$metadata?.httpStatusCode;
  const code =
    shape.Code ??
    (shape.name && shape.name !== "Error" && shape.name !== "UnknownError" ? shape.name : undefined) ??
    (status ? `HTTP ${status}` : undefined);
  switch (code) {
    case "AccessDeniedException":
      return new ServiceError(`access denied by Glacier (${context.operation}): ${message}`, code, options);
    case "InvalidSignatureException":
    case "SignatureDoesNotMatch":
      return new ServiceError(
        "Glacier rejected the request signature: check the secret access key and the computer's clock",
        code,
        options,
      );
    case "UnrecognizedClientException":
    case "InvalidClientTokenId":
      return new ServiceError("Glacier does not recognise the access key ID: check the credentials", code, options);
    case "ExpiredTokenException":
      return new ServiceError("the AWS session token has expired: refresh the credentials", code, options);
    case "MissingAuthenticationTokenException":
      return new ServiceError("the request carried no AWS credentials", code, options);
    case "NoLongerSupportedException":
      return new ServiceError(
        `Glacier refused: this account has no Glacier vault storage, and the vault service closed to new ` +
          `customers on 15 December 2025 (use local:DIR to run the emulator)`,
        code,
        options,
      );
    case "ResourceNotFoundException":
      if (context.vault !== undefined && VAULT_ONLY_OPERATIONS.has(context.operation)) {
        return new VaultNotFoundError(
          `vault ${quote(context.vault)} not found in region ${context.region}`,
          code,
          options,
        );
      }
      return new ServiceError(message, code, options);
    case "InvalidParameterValueException":
      // DeleteVault's one refusal of a valid name (names are checked before sending): "Vault not empty
      // or recently written to" (docs/glacier-api.md#errors).
      if (context.operation === "DeleteVault")
        return new VaultNotEmptyError(defaultMessage(context, code, message), code, options);
      return new ServiceError(defaultMessage(context, code, message), code, options);
    case "ThrottlingException":
      return new ServiceError(`Glacier is throttling requests (${context.operation})`, code, options);
    default:
      return new ServiceError(defaultMessage(context, code, message), code, options);
  }
}

function defaultMessage(context: ErrorContext, code: string | undefined, message: string): string {
  return code
    ? `Glacier ${context.operation} failed: ${code}: ${message}`
    : `Glacier ${context.operation} failed: ${message}`;
}

function networkCode(shape: SdkErrorShape): string | undefined {
  if (shape.code && NETWORK_CODES.has(shape.code)) return shape.code;
  // Node 20's happy-eyeballs connect reports an AggregateError whose members carry the code.
  for (const inner of shape.errors ?? []) {
    const innerCode = (inner as { code?: string } | null)?.code;
    if (innerCode && NETWORK_CODES.has(innerCode)) return innerCode;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Python repr-style quoting, as glacier-cli prints names (docs/compatibility.md#output-and-exit-codes). */
export function quote(name: string): string {
  return name.includes("'") && !name.includes('"') ? `"${name}"` : `'${name}'`;
}
