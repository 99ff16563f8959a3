// The emulator's own small Request/Response pair (docs/emulator.md#design: "the emulator is
// (Request) -> Response over a pure model; the socket is an adapter"). Bodies stay streams so a
// 4 GiB upload never sits in memory; a response body is bytes or a slice of a file.
import { GlacierApiError } from "./api-error.ts";
import { newRequestId } from "./ids.ts";

export interface EmuRequest {
  method: string;
  /** The raw (percent-encoded) path. */
  path: string;
  /** The raw query string without "?". */
  rawQuery: string;
  /** Lower-case header names; repeated headers joined with ",". */
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Uint8Array>;
}

export interface FileSlice {
  path: string;
  start: number;
  length: number;
  /**
   * `path` is a folder of files named 00001, 00002, ... of these sizes, read one after the other as one
   * file (an S3 multipart object keeps its parts' files rather than copying them into one).
   */
  segments?: readonly number[];
}

/** What the socket adapter does besides sending the response (fault injection, docs/emulator.md#faults). */
export type TransportFault =
  | { kind: "reset-before" }
  | { kind: "reset-mid-body" }
  | { kind: "truncate" }
  | { kind: "corrupt" }
  | { kind: "stall-before" }
  | { kind: "stall-mid-body" }
  | { kind: "latency"; ms: number };

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | FileSlice;
  transport?: TransportFault;
  /** Set by the router for the request log. */
  operation?: string;
  /** Set by the router: the region the request was for (API operations only). */
  region?: string;
  /** Set by the router: the fault rules applied (for the request log). */
  faults?: readonly { kind: string }[];
}

export function isFileSlice(body: EmuResponse["body"]): body is FileSlice {
  return body !== undefined && !Buffer.isBuffer(body);
}

/**
 * Standard response headers (docs/glacier-api.md#requests): x-amzn-RequestId and Date on every response.
 * Date is wall-clock time, not the (possibly advanced) emulator clock: SDK v3 corrects its signing
 * clock from the Date header, and signatures are checked against the wall clock.
 */
function baseHeaders(): Record<string, string> {
  return { "x-amzn-RequestId": newRequestId(), Date: new Date().toUTCString() };
}

// docs/glacier-api.md#requests: "JSON responses must carry Content-Type: application/json exactly ... never
// send application/json on a bodiless 201/202".
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmuResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: {
      ...baseHeaders(),
      "Content-Type": "application/json",
      "Content-Length": String(body.length),
      ...headers,
    },
    body,
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { ...baseHeaders(), "Content-Length": "0", ...headers } };
}

export function errorResponse(error: GlacierApiError): EmuResponse {
  const body = Buffer.from(error.body());
  return {
    status: error.status,
    headers: { ...baseHeaders(), "Content-Type": "application/json", "Content-Length": String(body.length) },
    body,
  };
}

export function bodyResponse(status: number, body: Buffer | FileSlice, headers: Record<string, string>): EmuResponse {
  const length = Buffer.isBuffer(body) ? body.length : body.length;
  return { status, headers: { ...baseHeaders(), ...headers, "Content-Length": String(length) }, body };
}

/** Reads a small JSON request body; malformed JSON is Glacier's SerializationException. */
export async function readJson(
  body: AsyncIterable<Uint8Array>,
  maxBytes = 1024 * 1024,
): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new GlacierApiError("SerializationException", "Request body is too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GlacierApiError("SerializationException", "Could not parse the request body as JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GlacierApiError("SerializationException", "The request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Consumes and discards a body (keep-alive needs the request read before the next one). */
export async function drain(body: AsyncIterable<Uint8Array>): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  while (!(await chunks.next()).done) {
    // discard
  }
}
