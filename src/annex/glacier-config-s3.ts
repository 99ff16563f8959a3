// The settings of a remote on S3 (docs/annex-s3.md): `bucket=B [prefix=P]` makes the remote's
// address `s3://B/P`, which the routing port hands to the S3 plugin; the storage class of uploads and
// the days a restored copy stays readable reach that plugin as the CLI's --storage-class and
// --restore-days do. `vault=` and `bucket=` name two different places, so they exclude each other.
import { ConsoleError } from "../core/errors.ts";
import { DEFAULT_STORAGE_CLASS, parseStorageClass, S3_SCHEME } from "../core/s3-address.ts";
import type { Tier } from "../core/types.ts";
import type { ConfigSetting } from "./remote.ts";

export interface S3Settings {
  /** Set for a remote on S3 (then `vault` is its s3:// address). */
  bucket?: string;
  prefix?: string;
  storageClass?: string;
  restoreDays?: number;
}

export const S3_CONFIG_SETTINGS: readonly ConfigSetting[] = [
  { name: "bucket", description: "S3 bucket to store in instead of a Glacier vault (excludes vault=)" },
  { name: "prefix", description: "with bucket=: key prefix of the objects, e.g. annex/ (default: none)" },
  {
    name: "storageclass",
    description: "with bucket=: storage class of uploads: DEEP_ARCHIVE (default), GLACIER, GLACIER_IR, STANDARD, ...",
  },
  { name: "restoredays", description: "with bucket=: days a restored copy stays readable, 1 to 365 (default 1)" },
];

/** The S3 settings as git-annex holds them ("" when unset). */
export async function s3Config(get: (name: string) => Promise<string>): Promise<Record<string, string>> {
  return {
    bucket: await get("bucket"),
    prefix: await get("prefix"),
    storageclass: await get("storageclass"),
    restoredays: await get("restoredays"),
  };
}

/** The s3:// address of `bucket=` and `prefix=`, or undefined for a vault remote. */
export function bucketAddress(raw: Record<string, string>): string | undefined {
  if (!raw.bucket) {
    if (raw.prefix || raw.storageclass || raw.restoredays) {
      const given = raw.prefix ? "prefix" : raw.storageclass ? "storageclass" : "restoredays";
      throw new ConsoleError(`${given}= applies to S3 buckets: give bucket=NAME as well`);
    }
    return undefined;
  }
  if (raw.vault)
    throw new ConsoleError(
      `vault=${raw.vault} and bucket=${raw.bucket} exclude each other: ` +
        "give vault= for a Glacier vault or bucket= for S3",
    );
  const prefix = (raw.prefix ?? "").replace(/^\/+/, "");
  return `${S3_SCHEME}${raw.bucket}${prefix === "" ? "" : `/${prefix}`}`;
}

/** The S3 part of the settings ({} for a vault remote), checked against the retrieval tier. */
export function s3Settings(raw: Record<string, string>, tier: Tier): S3Settings {
  if (!raw.bucket) return {};
  const storageClass = raw.storageclass ? parseStorageClass(raw.storageclass, "storageclass") : DEFAULT_STORAGE_CLASS;
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
  if (storageClass === "DEEP_ARCHIVE" && tier === "Expedited")
    throw new ConsoleError("tier=Expedited: DEEP_ARCHIVE objects are restored by the Standard or Bulk tier");
  const restoreDays = raw.restoredays ? Number(raw.restoredays) : 1;
  if (!Number.isInteger(restoreDays) || restoreDays < 1 || restoreDays > 365)
    throw new ConsoleError(`restoredays=${raw.restoredays ?? ""}: expected a whole number of days from 1 to 365`);
  return { bucket: raw.bucket, prefix: raw.prefix ?? "", storageClass, restoreDays };
}
