// Retention of superseded archives (docs/retention.md): an archive replaced or removed by a reconcile
// is kept until its minimum storage period has passed since upload, because deleting it earlier is
// billed as if it were kept ("archives deleted < 90 days after upload pay a prorated early-deletion
// fee", https://aws.amazon.com/s3/glacier/pricing/). Keeping it costs nothing more and keeps older
// snapshots restorable. Pure: every time is passed in.
import { isManifestName, manifestPrefix } from "./manifest-name.ts";
import { stripPrefix } from "./archive-prefix.ts";
import { uploadedAt } from "./live-archives.ts";
import { DAY_MS } from "./prices.ts";
import type { S3StorageClass } from "./s3-prices.ts";
import type { CachedArchive } from "./types.ts";

/**
 * Where an archive is stored, for its minimum storage duration: a vault (90 days) or an S3 storage
 * class (STANDARD none, GLACIER_IR 90, GLACIER 90, DEEP_ARCHIVE 180: https://aws.amazon.com/s3/storage-classes/).
 * On S3 a superseded object is a replaced object version (docs/retention.md#s3-buckets).
 */
export type StorageClass = "GLACIER_VAULT" | S3StorageClass;

const MINIMUM_DAYS: Readonly<Record<StorageClass, number>> = {
  GLACIER_VAULT: 90,
  STANDARD: 0,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

export function minimumStorageDays(storageClass: StorageClass = "GLACIER_VAULT"): number {
  return MINIMUM_DAYS[storageClass];
}

export interface RetentionPolicy {
  /**
   * --keep-versions DAYS: a superseded archive is kept at least this long after it was superseded,
   * and never deleted before its minimum storage period ends; 0 deletes at once (fee charged).
   * Undefined: kept exactly until the minimum storage period ends.
   */
  keepVersionsDays?: number;
  storageClass?: StorageClass;
}

/** When a superseded archive may be deleted (epoch ms); null when its upload time is unknown. */
export function deletableAt(archive: CachedArchive, supersededAt: number, policy: RetentionPolicy): number | null {
  if (policy.keepVersionsDays === 0) return supersededAt;
  const uploaded = uploadedAt(archive);
  if (uploaded === null) return null;
  const minimum = uploaded + minimumStorageDays(policy.storageClass) * DAY_MS;
  return Math.max(minimum, supersededAt + (policy.keepVersionsDays ?? 0) * DAY_MS);
}

export interface PruneItem {
  archive: CachedArchive;
  /** Epoch ms when it may go; null when unknown. */
  until: number | null;
}

export interface PrunePlan {
  /** Superseded archives past their retention: deleted now. */
  deleteNow: CachedArchive[];
  /** Superseded archives still within their retention (or of unknown age), with the date they may go. */
  kept: PruneItem[];
  /**
   * Past retention, but the latest manifest under their prefix was written before they were superseded,
   * so it may list them.
   */
  heldByManifest: CachedArchive[];
}

/**
 * The newest manifest archive covering `name`, as its upload time: a superseded archive is known to
 * be absent from a manifest only when the manifest was written after it was superseded.
 */
export function latestManifestTimes(cached: readonly CachedArchive[]): { prefix: string; at: number }[] {
  const latest = new Map<string, number>();
  for (const a of cached) {
    if (a.deletedHere !== null || a.name === null || !isManifestName(a.name)) continue;
    const prefix = manifestPrefix(a.name);
    const at = uploadedAt(a);
    if (prefix === undefined || at === null) continue;
    latest.set(prefix, Math.max(latest.get(prefix) ?? -Infinity, at));
  }
  return [...latest].map(([prefix, at]) => ({ prefix, at }));
}

/**
 * Which superseded archives under the prefix go now. Never one that is current (not superseded), and
 * never one the latest manifest covering it may list, unless --keep-versions 0 asked for today's
 * immediate deletion.
 */
export function planPrune(
  cached: readonly CachedArchive[],
  prefix: string,
  now: number,
  policy: RetentionPolicy,
): PrunePlan {
  const plan: PrunePlan = { deleteNow: [], kept: [], heldByManifest: [] };
  const manifests = latestManifestTimes(cached);
  for (const archive of cached) {
    const record = archive.superseded;
    if (
      !record ||
      archive.deletedHere !== null ||
      archive.name === null ||
      stripPrefix(prefix, archive.name) === undefined
    )
      continue;
    const until = deletableAt(archive, record.at, policy);
    if (until === null || until > now) {
      plan.kept.push({ archive, until });
      continue;
    }
    const name = archive.name;
    const uploaded = uploadedAt(archive) ?? -Infinity;
    const held =
      policy.keepVersionsDays !== 0 &&
      manifests.some((m) => name.startsWith(m.prefix) && uploaded <= m.at && m.at < record.at);
    if (held) plan.heldByManifest.push(archive);
    else plan.deleteNow.push(archive);
  }
  return plan;
}
