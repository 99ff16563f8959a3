// Glacier's error replies, docs/glacier-api.md#errors: body {"code","message","type"} with lower-case keys,
// Content-Type exactly application/json, no x-amzn-ErrorType header.

export type ErrorCode =
  | "AccessDeniedException"
  | "BadRequest"
  | "InsufficientCapacityException"
  | "InvalidParameterValueException"
  | "InvalidSignatureException"
  | "LimitExceededException"
  | "MissingAuthenticationTokenException"
  | "MissingParameterValueException"
  | "NoLongerSupportedException"
  | "PolicyEnforcedException"
  | "RequestTimeoutException"
  | "ResourceNotFoundException"
  | "SerializationException"
  | "ServiceUnavailableException"
  | "ThrottlingException"
  | "UnrecognizedClientException"
  | "UnknownOperationException";

/** HTTP status and error type of each code (the table of docs/glacier-api.md#errors). */
const ERROR_TABLE: Record<ErrorCode, { status: number; type: "Client" | "Server" }> = {
  AccessDeniedException: { status: 403, type: "Client" },
  BadRequest: { status: 400, type: "Client" },
  InsufficientCapacityException: { status: 503, type: "Server" },
  InvalidParameterValueException: { status: 400, type: "Client" },
  InvalidSignatureException: { status: 403, type: "Client" },
  LimitExceededException: { status: 400, type: "Client" },
  MissingAuthenticationTokenException: { status: 400, type: "Client" },
  MissingParameterValueException: { status: 400, type: "Client" },
  NoLongerSupportedException: { status: 400, type: "Client" },
  PolicyEnforcedException: { status: 400, type: "Client" },
  RequestTimeoutException: { status: 408, type: "Client" },
  ResourceNotFoundException: { status: 404, type: "Client" },
  SerializationException: { status: 400, type: "Client" },
  ServiceUnavailableException: { status: 500, type: "Server" },
  ThrottlingException: { status: 400, type: "Client" },
  UnrecognizedClientException: { status: 400, type: "Client" },
  // Not in the Glacier model: what AWS front ends answer for a path/method no operation matches.
  UnknownOperationException: { status: 400, type: "Client" },
};

export class GlacierApiError extends Error {
  readonly status: number;
  readonly type: "Client" | "Server";
  constructor(
    readonly code: ErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    const entry = ERROR_TABLE[code];
    this.status = status ?? entry.status;
    this.type = entry.type;
  }

  body(): string {
    return JSON.stringify({ code: this.code, message: this.message, type: this.type });
  }
}

export const invalid = (message: string) => new GlacierApiError("InvalidParameterValueException", message);
export const missing = (message: string) => new GlacierApiError("MissingParameterValueException", message);
export const notFound = (message: string) => new GlacierApiError("ResourceNotFoundException", message);
