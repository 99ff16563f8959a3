// The parts S3 vouches for (docs/backends.md#restores): an object uploaded in parts with SHA-256
// part checksums (a composite checksum `B64-N`) answers GetObject `partNumber=K` with ChecksumMode
// with that part's bytes and its SHA-256; an object from one PutObject answers a whole read with its
// full-object SHA-256 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
import type { JobDescription } from "../../core/types.ts";
import type { ObjectGet, ObjectHead, S3Api } from "./objects.ts";

type Parts = NonNullable<JobDescription["verifiedParts"]>;

/**
 * The object's verified parts, from its HeadObject (with ChecksumMode) and, for a multipart object,
 * HeadObject of part 1 (its size is the part size; the parts count must agree with the checksum's).
 */
export async function verifiedParts(
  api: S3Api,
  target: { bucket: string; key: string; versionId?: string },
  head: ObjectHead,
): Promise<Parts | undefined> {
  const checksum = head.checksumSha256;
  if (checksum === undefined || head.size === 0) return undefined;
  const composite = /-(\d+)$/.exec(checksum);
  if (!composite) return { partSize: head.size, count: 1 };
  const count = Number(composite[1]);
  const first = await api.headObject(target.bucket, target.key, target.versionId, 1);
  if (first.partsCount !== count || first.checksumSha256 === undefined) return undefined;
  return { partSize: first.size, count };
}

/** The hex SHA-256 of exactly the bytes of a whole or part read (a composite `-N` is not one). */
export function answerSha256(got: ObjectGet): string | undefined {
  const value = got.checksumSha256;
  if (value === undefined || /-\d+$/.test(value)) return undefined;
  const digest = Buffer.from(value, "base64");
  return digest.length === 32 ? digest.toString("hex") : undefined;
}
