// S3's additional checksums (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
// x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256}, base64 of the big-endian digest. A multipart
// object's checksum is either FULL_OBJECT (the CRC of all its bytes) or COMPOSITE (the checksum of
// the parts' binary checksums, then "-N" for N parts).
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { Crc32c } from "./crc32c.ts";
import { Crc64Nvme } from "./crc64nvme.ts";
import { S3Error } from "./errors.ts";
import { defined } from "../../core/errors.ts";

export const ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export type ChecksumType = "FULL_OBJECT" | "COMPOSITE";

export interface Checksum {
  algorithm: Algorithm;
  /** base64, with "-N" for a composite multipart checksum. */
  value: string;
  type: ChecksumType;
}

export interface Digest {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

class Crc32 implements Digest {
  #crc = 0;
  update(data: Uint8Array): void {
    this.#crc = crc32(data, this.#crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.#crc >>> 0, 0);
    return out;
  }
}

export function newDigest(algorithm: Algorithm | "MD5"): Digest {
  switch (algorithm) {
    case "CRC32":
      return new Crc32();
    case "CRC32C":
      return new Crc32c();
    case "CRC64NVME":
      return new Crc64Nvme();
    case "SHA1":
      return createHash("sha1");
    case "SHA256":
      return createHash("sha256");
    case "MD5":
      return createHash("md5");
  }
}

export const headerName = (algorithm: Algorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;
/** The XML element of a checksum (ChecksumCRC64NVME, ChecksumSHA256...). */
export const elementName = (algorithm: Algorithm): string => `Checksum${algorithm}`;

export function parseAlgorithm(
  raw: string | undefined | null,
  what = "x-amz-checksum-algorithm",
): Algorithm | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const upper = raw.toUpperCase();
  if (!(ALGORITHMS as readonly string[]).includes(upper))
    throw new S3Error("InvalidRequest", `Value for ${what} header is invalid: ${raw}`);
  return upper as Algorithm;
}

/** The x-amz-checksum-* value a request carries in its headers (only one is allowed). */
export function declaredChecksum(
  headers: Record<string, string | undefined>,
): { algorithm: Algorithm; value: string } | undefined {
  const found = ALGORITHMS.filter((a) => headers[headerName(a)] !== undefined);
  if (found.length > 1)
    throw new S3Error(
      "InvalidRequest",
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    );
  const algorithm = found[0];
  return algorithm === undefined
    ? undefined
    : { algorithm, value: defined(headers[headerName(algorithm)], "headers[headerName(algorithm)]").trim() };
}

/**
 * The algorithm a request will send a checksum for: a header, a trailer (x-amz-trailer) or
 * x-amz-sdk-checksum-algorithm.
 */
export function requestAlgorithm(headers: Record<string, string | undefined>): Algorithm | undefined {
  const declared = declaredChecksum(headers);
  if (declared) return declared.algorithm;
  const trailer = headers["x-amz-trailer"]?.trim().toLowerCase();
  if (trailer !== undefined && trailer.startsWith("x-amz-checksum-"))
    return parseAlgorithm(trailer.slice("x-amz-checksum-".length), "x-amz-trailer");
  return parseAlgorithm(headers["x-amz-sdk-checksum-algorithm"], "x-amz-sdk-checksum-algorithm");
}

/** Throws S3's BadDigest when the checksum a client sent is not the one of the bytes received. */
export function verifyChecksum(algorithm: Algorithm, sent: string, computed: Buffer): void {
  let decoded: Buffer;
  try {
    decoded = Buffer.from(sent, "base64");
  } catch {
    decoded = Buffer.alloc(0);
  }
  if (decoded.length !== computed.length || decoded.toString("base64") !== sent) {
    throw new S3Error("InvalidRequest", `Value for ${headerName(algorithm)} header is invalid.`);
  }
  if (!decoded.equals(computed))
    throw new S3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
}

/** A composite multipart checksum: the checksum of the parts' binary checksums, "-N". */
export function compositeChecksum(algorithm: Algorithm, parts: readonly string[]): string {
  const digest = newDigest(algorithm);
  for (const part of parts) digest.update(Buffer.from(part, "base64"));
  return `${digest.digest().toString("base64")}-${parts.length}`;
}

/** Response headers of a stored checksum (x-amz-checksum-mode: ENABLED, PutObject, UploadPart). */
export function checksumHeaders(checksum: Checksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [headerName(checksum.algorithm)]: checksum.value, "x-amz-checksum-type": checksum.type };
}
