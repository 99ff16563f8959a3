// Receiving an object's or a part's bytes: aws-chunked framing removed, written to a file while the
// MD5 (ETag), the body's SHA-256 when the signature covers it, and the S3 checksum are computed in
// the same pass (on worker threads for a large body, digest-pool.ts); then every value the client
// declared is checked (Content-MD5, x-amz-content-sha256, x-amz-checksum-* as a header or a
// trailer, x-amz-decoded-content-length).
import { streamToFile } from "../blob.ts";
import type { EmuRequest } from "../http.ts";
import type { Payload } from "./auth.ts";
import { decodeAwsChunked } from "./aws-chunked.ts";
import { defined } from "../../core/errors.ts";
import { type BodyHashing, type DigestName, INLINE_HASHING } from "./body-digests.ts";
import { type Algorithm, headerName, requestAlgorithm, verifyChecksum } from "./checksums.ts";
import { S3Error } from "./errors.ts";

export interface S3Received {
  size: number;
  md5: Buffer;
  /** The checksum of `algorithm` (base64), verified against what the client sent, if it sent one. */
  checksum?: { algorithm: Algorithm; value: string };
}

export const MAX_OBJECT = 5 * 1024 ** 3;

/**
 * `objectChecksumHeaders`: the request's x-amz-checksum-* headers are about something else than its body.
 * `algorithm`: what to compute when the request declares none (S3 computes CRC64NVME for objects
 * sent without a checksum); a request that declares another one than `required` is refused.
 */
export async function receiveBody(
  req: EmuRequest,
  payload: Payload,
  path: string,
  options: {
    algorithm?: Algorithm;
    required?: Algorithm;
    maxBytes?: number;
    objectChecksumHeaders?: boolean;
    /** Where large bodies are hashed (digest-pool.ts); default: on this thread. */
    hashing?: BodyHashing;
  },
): Promise<S3Received> {
  // CompleteMultipartUpload's x-amz-checksum-* headers are the object's checksum, not its body's.
  const headers = options.objectChecksumHeaders
    ? Object.fromEntries(Object.entries(req.headers).filter(([n]) => !n.startsWith("x-amz-checksum-")))
    : req.headers;
  const declaredAlgorithm = requestAlgorithm(headers);
  if (options.required !== undefined && declaredAlgorithm !== undefined && declaredAlgorithm !== options.required) {
    throw new S3Error(
      "InvalidRequest",
      `Checksum Type mismatch occurred, expected checksum Type: ${options.required.toLowerCase()}, actual ` +
        `checksum Type: ${declaredAlgorithm.toLowerCase()}`,
    );
  }
  const algorithm = declaredAlgorithm ?? options.required ?? options.algorithm;
  const decoded = payload.kind === "chunked" ? decodeAwsChunked(req.body, payload.signed, payload.verifier) : undefined;
  const expectedLength = decoded ? req.headers["x-amz-decoded-content-length"] : req.headers["content-length"];
  const declaredBytes =
    expectedLength !== undefined && /^\d+$/.test(expectedLength) ? Number(expectedLength) : undefined;
  // A SHA-256 checksum of a body whose signature covers its SHA-256 is the same digest: one serves both.
  const names = [
    ...new Set<DigestName>([
      "MD5",
      ...(payload.kind === "sha256" ? (["SHA256"] as const) : []),
      ...(algorithm ? [algorithm] : []),
    ]),
  ];
  const digests = (options.hashing ?? INLINE_HASHING).open(names, declaredBytes);
  const maxBytes = options.maxBytes ?? MAX_OBJECT;
  let size: number;
  let values: Buffer[];
  try {
    size = await streamToFile(
      decoded?.data ?? req.body,
      path,
      {
        maxBytes,
        tooLarge: () =>
          new S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
            MaxSizeAllowed: String(maxBytes),
          }),
      },
      (chunk) => digests.update(chunk),
    );
    values = await digests.result();
  } catch (error) {
    digests.abandon();
    throw error;
  }
  const digestOf = (name: DigestName) => values[names.indexOf(name)];
  const md5Digest = defined(digestOf("MD5"), 'digestOf("MD5")');
  const payloadDigest = payload.kind === "sha256" ? digestOf("SHA256") : undefined;
  if (declaredBytes !== undefined && declaredBytes !== size) {
    throw new S3Error(
      "IncompleteBody",
      `You did not provide the number of bytes specified by the ` +
        `${decoded ? "x-amz-decoded-content-length" : "Content-Length"} HTTP header`,
    );
  }
  if (payloadDigest && payload.kind === "sha256" && payloadDigest.toString("hex") !== payload.hex) {
    throw new S3Error(
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const contentMd5 = req.headers["content-md5"];
  if (contentMd5 !== undefined) {
    const sent = Buffer.from(contentMd5.trim(), "base64");
    if (sent.length !== 16) throw new S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.");
    if (!sent.equals(md5Digest))
      throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.");
  }
  const computed = algorithm === undefined ? undefined : digestOf(algorithm);
  if (algorithm === undefined || computed === undefined) return { size, md5: md5Digest };
  const name = headerName(algorithm);
  const sent = headers[name] ?? decoded?.trailers[name];
  if (sent !== undefined) verifyChecksum(algorithm, sent, computed);
  else if (decoded && req.headers["x-amz-trailer"] !== undefined) {
    throw new S3Error(
      "InvalidRequest",
      `The ${req.headers["x-amz-trailer"]} trailer announced by x-amz-trailer is missing`,
    );
  }
  return { size, md5: md5Digest, checksum: { algorithm, value: computed.toString("base64") } };
}
