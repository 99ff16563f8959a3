// GetObject and HeadObject `?partNumber=N` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html):
// the bytes of one part of a completed multipart upload (an object from one PutObject has one part,
// itself), its Content-Range, x-amz-mp-parts-count, and with ChecksumMode that part's checksum (of a
// COMPOSITE object; a FULL_OBJECT one keeps no checksum per part).
import type { EmuRequest } from "../http.ts";
import { defined } from "../../core/errors.ts";
import { type Checksum, checksumHeaders } from "./checksums.ts";
import { S3Error } from "./errors.ts";
import type { ObjectRecord } from "./model.ts";

export interface ObjectPart {
  start: number;
  end: number;
  /** The answer's headers: Content-Range and x-amz-mp-parts-count (a multipart object), the checksum. */
  headers: Record<string, string>;
  /** 206 for a part of a multipart object, 200 for part 1 of an object from one PutObject. */
  status: 200 | 206;
}

/** The part `?partNumber=` names, or undefined when the request names none. */
export function requestedPart(
  req: EmuRequest,
  query: URLSearchParams,
  object: ObjectRecord,
  withChecksum: boolean,
): ObjectPart | undefined {
  const raw = query.get("partNumber");
  if (raw === null) return undefined;
  const number = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (number < 1 || number > 10_000)
    throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", {
      ArgumentName: "partNumber",
      ArgumentValue: raw,
    });
  if (req.headers["range"] !== undefined)
    throw new S3Error("InvalidRequest", "Cannot specify both Range header and partNumber query parameter");
  const sizes = object.parts ?? [object.size];
  if (number > sizes.length)
    throw new S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable", {
      PartNumberRequested: raw,
      ActualPartCount: String(sizes.length),
    });
  const start = sizes.slice(0, number - 1).reduce((sum, size) => sum + size, 0);
  const end = start + defined(sizes[number - 1], "sizes[number - 1]") - 1;
  const checksum = withChecksum ? partChecksum(object, number) : undefined;
  const multipart = object.parts !== undefined;
  return {
    start,
    end,
    status: multipart ? 206 : 200,
    headers: {
      ...(multipart
        ? { "Content-Range": `bytes ${start}-${end}/${object.size}`, "x-amz-mp-parts-count": String(sizes.length) }
        : {}),
      ...checksumHeaders(checksum),
    },
  };
}

function partChecksum(object: ObjectRecord, number: number): Checksum | undefined {
  if (object.parts === undefined) return object.checksum;
  const value = object.partChecksums?.[number - 1];
  return object.checksum && value ? { algorithm: object.checksum.algorithm, value, type: "COMPOSITE" } : undefined;
}
