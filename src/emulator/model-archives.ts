// Archive and multipart-upload records on the pure model. The bytes themselves are files handled by
// store.ts; these functions only decide and record.
import { MiB, foldHashes } from "../core/tree-hash.ts";
import { invalid, missing, notFound } from "./api-error.ts";
import { newArchiveId, newUploadId } from "./ids.ts";
import { getVault } from "./model-vaults.ts";
import { type ArchiveRecord, type ModelConfig, type RegionState, type UploadRecord, vaultArn } from "./state.ts";
import { isoMillis } from "./time.ts";
import { defined } from "../core/errors.ts";

// docs/glacier-api.md#data-formats: "Archive description: <= 1,024 chars, ASCII 0x20-0x7E only; leading spaces
// are removed".
export function checkDescription(raw: string | undefined): string {
  if (raw === undefined) return "";
  if (raw.length > 1024 || !/^[\x20-\x7e]*$/.test(raw))
    throw invalid(`Invalid archive description: ${raw.slice(0, 64)}`);
  return raw.replace(/^ +/, "");
}

export function addArchive(
  state: RegionState,
  config: ModelConfig,
  now: number,
  vaultName: string,
  fields: Omit<ArchiveRecord, "id" | "creationDate">,
  id = newArchiveId(),
): ArchiveRecord {
  const vault = getVault(state, config, vaultName);
  const record: ArchiveRecord = { id, creationDate: now, ...fields };
  vault.archives[id] = record;
  vault.lastWrite = now;
  return record;
}

// "DeleteArchive: idempotent (deleting a deleted archive is not an error)"; an ID of another vault
// answers "Invalid vault name: <arn>" (archive IDs are bound to their vault). Returns whether the
// archive was there (its bytes may then be removed).
export function deleteArchive(
  state: RegionState,
  config: ModelConfig,
  now: number,
  vaultName: string,
  id: string,
): boolean {
  const vault = getVault(state, config, vaultName);
  if (!Object.hasOwn(vault.archives, id)) {
    const elsewhere = Object.values(state.vaults).some((v) => Object.hasOwn(v.archives, id));
    if (elsewhere) throw invalid(`Invalid vault name: ${vaultArn(config, vaultName)}`);
    return false;
  }
  Reflect.deleteProperty(vault.archives, id);
  vault.lastWrite = now;
  return true;
}

// docs/glacier-api.md#multipart-uploads: "x-amz-part-size = 1 MiB x 2^k, k = 0...12 (1 MiB ... 4 GiB)".
export function checkPartSize(raw: string | undefined): number {
  if (raw === undefined) throw missing("Missing required header: x-amz-part-size");
  const size = /^\d{1,11}$/.test(raw) ? Number(raw) : Number.NaN;
  const k = Math.log2(size / MiB);
  if (!Number.isInteger(k) || k < 0 || k > 12)
    throw invalid(
      `Invalid part size: ${raw}. Part size must not be null, must be a power of two and be between 1048576 ` +
        `and 4294967296 bytes.`,
    );
  return size;
}

export function initiateUpload(
  state: RegionState,
  config: ModelConfig,
  now: number,
  vaultName: string,
  partSize: number,
  description: string,
): UploadRecord {
  getVault(state, config, vaultName);
  const upload: UploadRecord = {
    id: newUploadId(),
    vault: vaultName,
    partSize,
    description,
    creationDate: now,
    lastActivity: now,
    state: "open",
  };
  state.uploads[upload.id] = upload;
  return upload;
}

export function getUpload(
  state: RegionState,
  config: ModelConfig,
  vaultName: string,
  id: string,
  allow: UploadRecord["state"][] = ["open"],
): UploadRecord {
  getVault(state, config, vaultName);
  const upload = Object.hasOwn(state.uploads, id) ? state.uploads[id] : undefined;
  if (!upload || upload.vault !== vaultName || !allow.includes(upload.state)) {
    throw notFound(`The upload ID was not found: ${id}`);
  }
  return upload;
}

export interface PartRecord {
  start: number;
  end: number;
  treeHash: string;
  /** Hex SHA-256 of each MiB of the part, concatenated (64 characters each). */
  chunks: string;
}

/** Checks a part's Content-Range (docs/glacier-api.md#multipart-uploads) and returns its first byte. */
export function checkPartRange(
  upload: UploadRecord,
  contentRange: string | undefined,
  bodyLength: number | undefined,
): { start: number; end: number } {
  if (contentRange === undefined) throw missing("Missing required header: Content-Range");
  const match = /^bytes (\d+)-(\d+)\/\*$/.exec(contentRange.trim());
  const start = match ? Number(match[1]) : Number.NaN;
  const end = match ? Number(match[2]) : Number.NaN;
  if (!match || end < start || start % upload.partSize !== 0 || end - start + 1 > upload.partSize) {
    throw invalid(`Content-Range: ${contentRange} is incompatible with Part Size: ${upload.partSize}`);
  }
  if (bodyLength !== undefined && bodyLength !== end - start + 1) {
    throw invalid(`Content-Range: ${contentRange} does not match Content-Length: ${bodyLength}`);
  }
  return { start, end };
}

/**
 * Checks a CompleteMultipartUpload against the uploaded parts: "parts must cover 0...size-1 with no
 * gap; every part except the last has exactly the part size; the tree hash of the assembled archive
 * must equal the header". Returns the MiB chunk digests of the whole archive.
 */
export function checkCompletion(
  upload: UploadRecord,
  parts: readonly PartRecord[],
  sizeHeader: string | undefined,
  treeHashHeader: string | undefined,
): { size: number; chunkHashes: Buffer[] } {
  if (sizeHeader === undefined) throw missing("Missing required header: x-amz-archive-size");
  if (treeHashHeader === undefined) throw missing("Missing required header: x-amz-sha256-tree-hash");
  const size = /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : Number.NaN;
  if (!Number.isSafeInteger(size) || size < 1) throw invalid(`Invalid archive size: ${sizeHeader}`);
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const part of sorted) {
    if (part.start !== expected) break;
    const isLast = part.end + 1 >= size;
    if (!isLast && part.end - part.start + 1 !== upload.partSize) break;
    expected = part.end + 1;
    if (isLast) break;
  }
  if (
    expected !== size ||
    sorted.length === 0 ||
    defined(sorted[sorted.length - 1], "sorted[sorted.length - 1]").end + 1 !== size
  ) {
    throw invalid(`Archive size: ${size} does not match the uploaded parts`);
  }
  const chunkHashes = sorted.flatMap((p) => (p.chunks.match(/.{64}/g) ?? []).map((h) => Buffer.from(h, "hex")));
  const computed = foldHashes(chunkHashes).toString("hex");
  // Observed on the real service: "Invalid x-amz-sha256-tree-hash: <sent>".
  if (computed !== treeHashHeader.toLowerCase()) throw invalid(`Invalid x-amz-sha256-tree-hash: ${treeHashHeader}`);
  return { size, chunkHashes };
}

export function describeUpload(config: ModelConfig, upload: UploadRecord): Record<string, unknown> {
  return {
    ArchiveDescription: upload.description === "" ? null : upload.description,
    CreationDate: isoMillis(upload.creationDate),
    MultipartUploadId: upload.id,
    PartSizeInBytes: upload.partSize,
    VaultARN: vaultArn(config, upload.vault),
  };
}
