// SDK output shapes -> our vocabulary (core/types.ts, port.ts). The shapes are declared here
// structurally (the Glacier model's member names), so only sdk.ts imports the SDK itself.
import { ServiceError } from "../core/errors.ts";
import { parseByteRange } from "../core/multipart.ts";
import type { JobAction, JobDescription, JobStatus, Tier, VaultDescription } from "../core/types.ts";
import type { MultipartUpload, UploadedPart } from "./port.ts";

/** GlacierJobDescription, the members we read (docs/glacier-api.md#job-descriptions). */
export interface JobShape {
  JobId?: string;
  JobDescription?: string;
  Action?: string;
  ArchiveId?: string;
  CreationDate?: string;
  Completed?: boolean;
  StatusCode?: string;
  StatusMessage?: string;
  ArchiveSizeInBytes?: number;
  CompletionDate?: string;
  SHA256TreeHash?: string;
  ArchiveSHA256TreeHash?: string;
  RetrievalByteRange?: string;
  Tier?: string;
  InventoryRetrievalParameters?: { Format?: string };
}

export function created(archiveId: string | undefined, treeHash: string | undefined, location: string | undefined) {
  if (!archiveId) throw new ServiceError("Glacier sent no archive ID", "InternalFailure");
  return { archiveId, ...(treeHash ? { treeHash } : {}), ...(location ? { location } : {}) };
}

function date(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toVault(v: {
  VaultName?: string;
  VaultARN?: string;
  CreationDate?: string;
  LastInventoryDate?: string;
  NumberOfArchives?: number;
  SizeInBytes?: number;
}): VaultDescription {
  const vault: VaultDescription = {
    name: v.VaultName ?? "",
    arn: v.VaultARN ?? "",
    creationDate: date(v.CreationDate) ?? 0,
    numberOfArchives: v.NumberOfArchives ?? 0,
    sizeInBytes: v.SizeInBytes ?? 0,
  };
  const inventory = date(v.LastInventoryDate);
  if (inventory !== undefined) vault.lastInventoryDate = inventory;
  return vault;
}

export function toUpload(
  vault: string,
  u: { MultipartUploadId?: string; ArchiveDescription?: string; PartSizeInBytes?: number; CreationDate?: string },
): MultipartUpload {
  return {
    uploadId: u.MultipartUploadId ?? "",
    vault,
    description: u.ArchiveDescription ?? "",
    partSize: u.PartSizeInBytes ?? 0,
    creationDate: date(u.CreationDate) ?? 0,
  };
}

export function toPart(p: { RangeInBytes?: string; SHA256TreeHash?: string }): UploadedPart[] {
  const range = p.RangeInBytes ? parseByteRange(p.RangeInBytes) : undefined;
  return range && p.SHA256TreeHash ? [{ ...range, treeHash: p.SHA256TreeHash }] : [];
}

export function toJob(vault: string, j: JobShape): JobDescription {
  const job: JobDescription = {
    jobId: j.JobId ?? "",
    vault,
    action: (j.Action ?? "ArchiveRetrieval") as JobAction,
    status: (j.StatusCode ?? "InProgress") as JobStatus,
    completed: j.Completed === true,
    creationDate: date(j.CreationDate) ?? 0,
    creationDateText: j.CreationDate ?? "",
  };
  const completion = date(j.CompletionDate);
  if (completion !== undefined && j.CompletionDate) {
    job.completionDate = completion;
    job.completionDateText = j.CompletionDate;
  }
  if (j.StatusMessage) job.statusMessage = j.StatusMessage;
  if (j.ArchiveId) job.archiveId = j.ArchiveId;
  if (typeof j.ArchiveSizeInBytes === "number") job.archiveSize = j.ArchiveSizeInBytes;
  if (j.ArchiveSHA256TreeHash) job.archiveTreeHash = j.ArchiveSHA256TreeHash;
  if (j.SHA256TreeHash) job.rangeTreeHash = j.SHA256TreeHash;
  if (j.RetrievalByteRange) job.retrievalByteRange = j.RetrievalByteRange;
  if (j.Tier) job.tier = j.Tier as Tier;
  const format = j.InventoryRetrievalParameters?.Format;
  if (format === "JSON" || format === "CSV") job.inventoryFormat = format;
  if (j.JobDescription) job.description = j.JobDescription;
  return job;
}
