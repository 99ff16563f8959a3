// RestoreObject's rules on the pure model (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html):
// only GLACIER and DEEP_ARCHIVE objects are restored; the first request is accepted (202), a repeat
// while it runs is 409 RestoreAlreadyInProgress, a request for a restored copy sets its new expiry
// (200). Expedited is not offered for DEEP_ARCHIVE. The copy is kept `Days` days after the restore
// completes, rounded up to the next midnight UTC, then the object is archived again.
import type { Tier } from "../../core/types.ts";
import { S3Error } from "./errors.ts";
import { ARCHIVED, type ObjectRecord, type RestoreRecord } from "./model.ts";

export type ArchivedClass = "GLACIER" | "DEEP_ARCHIVE";
export type RestoreDelays = Record<ArchivedClass, Partial<Record<Tier, number>>>;

// Seconds to completion: the upper ends of S3's published ranges
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html).
export const REALISTIC_RESTORE_DELAYS: RestoreDelays = {
  GLACIER: { Expedited: 5 * 60, Standard: 5 * 3600, Bulk: 12 * 3600 },
  DEEP_ARCHIVE: { Standard: 12 * 3600, Bulk: 48 * 3600 },
};

export type RestoreStatus =
  { state: "none" } | { state: "ongoing"; record: RestoreRecord } | { state: "restored"; record: RestoreRecord };

const DAY = 86_400_000;

export function restoreStatus(object: ObjectRecord, now: number): RestoreStatus {
  const record = object.restore;
  if (!record || now >= record.expiresAt) return { state: "none" };
  return now < record.completesAt ? { state: "ongoing", record } : { state: "restored", record };
}

/** Whether GetObject may read the bytes now. */
export const readable = (object: ObjectRecord, now: number): boolean =>
  !ARCHIVED.has(object.storageClass) || restoreStatus(object, now).state === "restored";

const expiry = (completesAt: number, days: number) => Math.ceil((completesAt + days * DAY) / DAY) * DAY;

/** Applies a restore request; returns the HTTP status (202 started, 200 already restored). */
export function requestRestore(
  object: ObjectRecord,
  tier: Tier,
  days: number,
  now: number,
  delays: RestoreDelays,
): 200 | 202 {
  if (!ARCHIVED.has(object.storageClass)) {
    throw new S3Error("InvalidObjectState", "Restore is not allowed for the object's current storage class", {
      StorageClass: object.storageClass,
    });
  }
  const delay = delays[object.storageClass as ArchivedClass][tier];
  if (delay === undefined)
    throw new S3Error(
      "InvalidArgument",
      `${tier} retrieval is not available for the ${object.storageClass} storage class`,
    );
  const status = restoreStatus(object, now);
  if (status.state === "ongoing")
    throw new S3Error("RestoreAlreadyInProgress", "Object restore is already in progress");
  if (status.state === "restored") {
    object.restore = { ...status.record, days, expiresAt: expiry(now, days) };
    return 200;
  }
  const completesAt = now + delay * 1000;
  object.restore = { tier, requestedAt: now, completesAt, days, expiresAt: expiry(completesAt, days) };
  return 202;
}

/** The x-amz-restore header of HeadObject/GetObject, when a restore was requested and the copy not expired. */
export function restoreHeader(object: ObjectRecord, now: number): Record<string, string> {
  const status = restoreStatus(object, now);
  if (status.state === "none") return {};
  if (status.state === "ongoing") return { "x-amz-restore": 'ongoing-request="true"' };
  return {
    "x-amz-restore": `ongoing-request="false", expiry-date="${new Date(status.record.expiresAt).toUTCString()}"`,
  };
}
