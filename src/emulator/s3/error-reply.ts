// An S3Error as S3 sends it: an XML <Error> body (apart from HEAD) and request-id headers. Kept apart
// from errors.ts, which the XML reader throws from, so that neither imports the other.
import { newRequestId } from "../ids.ts";
import type { S3Error } from "./errors.ts";
import { xmlDocument } from "./xml.ts";

/** The reply for an error; a HEAD request gets the status and headers only, as S3 sends it. */
export function s3ErrorResponse(error: S3Error, method: string, resource: string) {
  const requestId = newRequestId().slice(0, 16).toUpperCase();
  const headers: Record<string, string> = {
    "x-amz-request-id": requestId,
    "x-amz-id-2": requestId,
    Date: new Date().toUTCString(),
    ...error.headers,
  };
  if (method === "HEAD") return { status: error.status, headers: { ...headers, "Content-Length": "0" } };
  const body = xmlDocument(
    "Error",
    { Code: error.code, Message: error.message, ...error.extra, Resource: resource, RequestId: requestId },
    false,
  );
  return {
    status: error.status,
    headers: { ...headers, "Content-Type": "application/xml", "Content-Length": String(body.length) },
    body,
  };
}
