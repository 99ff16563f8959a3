// The S3 plugin (docs/backends.md#s3-mapping): the port's operations over `s3://BUCKET[/PREFIX]`.
// An archive is the object PREFIX/NAME carrying its Glacier tree hash and size in user metadata;
// every request body carries its SHA-256 (per part for multipart, composite at completion) and the
// service's answer is checked against it. Retrievals are restores (restores.ts), the inventory is a
// listing (inventory.ts).
import { createHash } from "node:crypto";
import type { Clock } from "../../core/clock.ts";
import { ConsoleError, IntegrityError, ServiceError } from "../../core/errors.ts";
import { nameFromDescription } from "../../core/names.ts";
import { archiveIdFor, keyForName, parseArchiveId, parseS3Address, type S3Address } from "../../core/s3-address.ts";
import type { GlacierPort, MultipartUpload, UploadedPart } from "../port.ts";
import type { S3Api } from "./objects.ts";
import { headVersion, idOf, treeHashOf } from "./heads.ts";
import { s3Jobs } from "./restores.ts";
import {
  composeUploadId,
  descriptionOfName,
  parseUploadId,
  SIZE_META,
  SOURCE_ARCHIVE_META,
  TREE_HASH_META,
} from "./upload-ids.ts";

export interface S3PortConfig {
  api: S3Api;
  region: string;
  clock: Clock;
  storageClass: string;
  restoreDays: number;
}

const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const base64ToHex = (b64: string) => Buffer.from(b64, "base64").toString("hex");

export function createS3Port(config: S3PortConfig): GlacierPort {
  const { api } = config;
  const nameOf = (description: string | undefined): string => {
    const name = nameFromDescription(description ?? "");
    if (name === "") throw new ConsoleError("an S3 archive needs a name: it is the object's key");
    return name;
  };
  const checkDigest = (what: string, sent: string, answered: string | undefined) => {
    // Composite checksums end in -N (the part count); the digest before it is what we compare.
    if (answered !== undefined && answered.replace(/-\d+$/, "") !== sent)
      throw new IntegrityError(`S3 stored ${what} with SHA-256 ${answered}, not the ${sent} that was sent`);
  };
  const uploadTarget = (vault: string, uploadId: string) => {
    const address = parseS3Address(vault);
    const parsed = parseUploadId(uploadId);
    return { address, ...parsed, key: keyForName(address, parsed.name) };
  };

  return {
    region: config.region,
    endpoint: api.endpoint,
    listVaults: () => Promise.resolve([]),
    createVault: async (vault) => {
      await api.createBucket(parseS3Address(vault).bucket).catch((error: unknown) => {
        if ((error as { code?: string }).code !== "BucketAlreadyOwnedByYou") throw error;
      });
    },
    describeVault: async (vault) => {
      const address = parseS3Address(vault);
      const objects = await api.listObjects(address.bucket, address.prefix, false);
      return {
        name: vault,
        arn: `arn:aws:s3:::${address.bucket}/${address.prefix}`,
        creationDate: objects.reduce((first, o) => Math.min(first, o.lastModified), config.clock.now()),
        numberOfArchives: objects.length,
        sizeInBytes: objects.reduce((sum, o) => sum + o.size, 0),
      };
    },
    deleteVault: async (vault) => {
      const address = parseS3Address(vault);
      if (address.prefix === "") return api.deleteBucket(address.bucket);
      // A prefix is not a container of its own: it is "deleted" when no object is left under it.
      const left = await api.listObjects(address.bucket, address.prefix, false);
      if (left.length > 0) throw new ConsoleError(`${vault} still holds ${left.length} objects`);
    },

    uploadArchive: async (input) => {
      const address = parseS3Address(input.vault);
      const name = nameOf(input.description);
      const sha256Base64 = hexToBase64(input.sha256);
      const written = await api.putObject({
        bucket: address.bucket,
        key: keyForName(address, name),
        body: input.body,
        sha256Base64,
        storageClass: config.storageClass,
        metadata: metadataOf(input.treeHash, input.body.length, input.sourceArchiveId),
      });
      checkDigest(name, sha256Base64, written.checksumSha256);
      return {
        archiveId: archiveIdFor({ name, ...versionOf(written), treeHash: input.treeHash }),
        location: location(address, name),
      };
    },
    initiateMultipart: async (input) => {
      const address = parseS3Address(input.vault);
      const name = nameOf(input.description);
      if (input.treeHash === undefined || input.size === undefined)
        throw new ConsoleError(`${input.vault}: an S3 multipart upload needs the archive's tree hash first`);
      const uploadId = await api.createMultipart({
        bucket: address.bucket,
        key: keyForName(address, name),
        storageClass: config.storageClass,
        metadata: metadataOf(input.treeHash, input.size, input.sourceArchiveId),
      });
      return { uploadId: composeUploadId(input.partSize, name, uploadId) };
    },
    uploadPart: async (input) => {
      const target = uploadTarget(input.vault, input.uploadId);
      if (target.partSize <= 0 || input.start % target.partSize !== 0)
        throw new ConsoleError(`part at ${input.start} does not start on a part boundary of ${target.partSize}`);
      const sha256Base64 = hexToBase64(input.sha256);
      const answer = await api.uploadPart({
        bucket: target.address.bucket,
        key: target.key,
        uploadId: target.s3UploadId,
        partNumber: input.start / target.partSize + 1,
        body: input.body,
        sha256Base64,
      });
      checkDigest(`part at ${input.start} of ${target.name}`, sha256Base64, answer.checksumSha256);
      return {};
    },
    completeMultipart: async (input) => {
      const target = uploadTarget(input.vault, input.uploadId);
      const parts = await api.listParts(target.address.bucket, target.key, target.s3UploadId);
      const stored = parts.reduce((sum, p) => sum + p.size, 0);
      if (stored !== input.size)
        throw new IntegrityError(
          `S3 holds ${stored} bytes of ${target.name} in ${parts.length} parts, not ${input.size}`,
        );
      // The composite checksum: SHA-256 of the parts' digests (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
      const composite = createHash("sha256");
      for (const part of parts) composite.update(Buffer.from(part.checksumSha256 ?? "", "base64"));
      const written = await api.completeMultipart({
        bucket: target.address.bucket,
        key: target.key,
        uploadId: target.s3UploadId,
        parts,
      });
      checkDigest(target.name, composite.digest("base64"), written.checksumSha256);
      return {
        archiveId: archiveIdFor({ name: target.name, ...versionOf(written), treeHash: input.treeHash }),
        location: location(target.address, target.name),
      };
    },
    abortMultipart: async (vault, uploadId) => {
      const target = uploadTarget(vault, uploadId);
      await api.abortMultipart(target.address.bucket, target.key, target.s3UploadId);
    },
    listParts: async (vault, uploadId) => {
      const target = uploadTarget(vault, uploadId);
      const listed = await api.listParts(target.address.bucket, target.key, target.s3UploadId);
      const partSize = target.partSize > 0 ? target.partSize : (listed[0]?.size ?? 0);
      const parts: UploadedPart[] = listed.map((p) => {
        const start = (p.partNumber - 1) * partSize;
        // S3 knows each part's SHA-256, not its tree hash: a resumed upload compares that.
        return {
          start,
          end: start + p.size - 1,
          treeHash: "",
          ...(p.checksumSha256 ? { sha256: base64ToHex(p.checksumSha256) } : {}),
        };
      });
      return { uploadId, vault, description: descriptionOfName(target.name), partSize, creationDate: 0, parts };
    },
    listMultipartUploads: async (vault) => {
      const address = parseS3Address(vault);
      const uploads = await api.listMultipartUploads(address.bucket, address.prefix);
      return uploads.flatMap((u): MultipartUpload[] => {
        const name = u.key.slice(address.prefix.length);
        if (!u.key.startsWith(address.prefix) || name === "") return [];
        return [
          {
            uploadId: composeUploadId(0, name, u.uploadId),
            vault,
            description: descriptionOfName(name),
            partSize: 0,
            creationDate: u.initiated,
          },
        ];
      });
    },
    deleteArchive: async (vault, archiveId) => {
      const address = parseS3Address(vault);
      const ref = parseArchiveId(archiveId);
      const key = keyForName(address, ref.name);
      // Without versioning, a replaced version is gone already: its replacement must stay.
      if (ref.versionId === undefined && ref.treeHash !== undefined) {
        const gone = await headVersion(api, address.bucket, key, ref).then(
          () => false,
          (error: unknown) => error instanceof ServiceError && error.code === "ResourceNotFoundException",
        );
        if (gone) return;
      }
      await api.deleteObject(address.bucket, key, ref.versionId);
    },
    keepsReplacedVersions: (vault) => api.versioningEnabled(parseS3Address(vault).bucket),
    findArchive: async (vault, description) => {
      const address = parseS3Address(vault);
      const name = nameOf(description);
      const head = await api.headObject(address.bucket, keyForName(address, name)).catch((error: unknown) => {
        if (error instanceof ServiceError && error.code === "ResourceNotFoundException") return undefined;
        throw error;
      });
      const treeHash = head && treeHashOf(head);
      if (!head || treeHash === undefined) return undefined;
      return {
        archiveId: idOf(name, head),
        description: descriptionOfName(name),
        creationDate: head.lastModified,
        size: head.size,
        treeHash,
        ...(head.checksumSha256 !== undefined ? { checksum: head.checksumSha256 } : {}),
        ...(head.metadata[SOURCE_ARCHIVE_META] !== undefined
          ? { sourceArchiveId: head.metadata[SOURCE_ARCHIVE_META] }
          : {}),
      };
    },
    ...s3Jobs(config),
    close: () => api.close(),
  };
}

function metadataOf(treeHash: string, size: number, sourceArchiveId: string | undefined): Record<string, string> {
  return {
    [TREE_HASH_META]: treeHash,
    [SIZE_META]: String(size),
    ...(sourceArchiveId !== undefined ? { [SOURCE_ARCHIVE_META]: sourceArchiveId } : {}),
  };
}

function versionOf(written: { versionId?: string }): { versionId?: string } {
  return written.versionId !== undefined ? { versionId: written.versionId } : {};
}

function location(address: S3Address, name: string): string {
  return `s3://${address.bucket}/${address.prefix}${name}`;
}
