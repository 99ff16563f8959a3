// The headers S3 stores with an object (Content-Type, x-amz-meta-*, Cache-Control...) and sends back
// on GetObject/HeadObject (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html).
import type { EmuRequest } from "../http.ts";
import { checksumHeaders } from "./checksums.ts";
import { S3Error } from "./errors.ts";
import type { ObjectRecord, StoredHeaders } from "./model.ts";
import { restoreHeader } from "./restore.ts";
import { httpDate, quoteEtag } from "./context.ts";
import { defined } from "../../core/errors.ts";

const KEPT = ["cache-control", "content-disposition", "content-language", "expires", "x-amz-website-redirect-location"];

export function storedHeaders(req: EmuRequest): StoredHeaders {
  const meta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith("x-amz-meta-") || value === undefined) continue;
    meta[name.slice("x-amz-meta-".length)] = value;
    metaBytes += name.length - "x-amz-meta-".length + Buffer.byteLength(value);
  }
  if (metaBytes > 2048)
    throw new S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
  const other: Record<string, string> = {};
  for (const name of KEPT)
    if (req.headers[name] !== undefined) other[name] = defined(req.headers[name], "req.headers[name]");
  // aws-chunked is the transfer framing, not the object's encoding.
  const encoding = (req.headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "" && e !== "aws-chunked");
  if (encoding.length > 0) other["content-encoding"] = encoding.join(",");
  return { contentType: req.headers["content-type"] ?? "binary/octet-stream", meta, other };
}

/** What GetObject and HeadObject send about an object (checksums only when asked for). */
export function objectHeaders(object: ObjectRecord, now: number, withChecksum: boolean): Record<string, string> {
  return {
    "Content-Type": object.contentType,
    ETag: quoteEtag(object.etag),
    "Last-Modified": httpDate(object.lastModified),
    "Accept-Ranges": "bytes",
    ...object.other,
    ...Object.fromEntries(Object.entries(object.meta).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    ...(object.storageClass !== "STANDARD" ? { "x-amz-storage-class": object.storageClass } : {}),
    ...restoreHeader(object, now),
    ...(withChecksum ? checksumHeaders(object.checksum) : {}),
  };
}
