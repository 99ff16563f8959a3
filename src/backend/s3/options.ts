// The storage class and restore days of a run (docs/backends.md#settings), read without loading the
// S3 SDK: the capabilities (and so the cost plans) need the class before any request.
import { ConsoleError } from "../../core/errors.ts";
import { DEFAULT_STORAGE_CLASS, parseStorageClass } from "../../core/s3-address.ts";
import type { PluginOpenInput } from "../plugin.ts";

export const DEFAULT_RESTORE_DAYS = 1;

/** --storage-class, else GLACIER_S3_STORAGE_CLASS (git-annex passes no options), else DEEP_ARCHIVE. */
export function storageClass(input: PluginOpenInput): string {
  const flag = input.storageClass;
  if (flag !== undefined) return parseStorageClass(flag, "--storage-class");
  const env = input.env.GLACIER_S3_STORAGE_CLASS;
  return env ? parseStorageClass(env, "GLACIER_S3_STORAGE_CLASS") : DEFAULT_STORAGE_CLASS;
}

/** --restore-days, else GLACIER_S3_RESTORE_DAYS, else 1. */
export function restoreDays(input: PluginOpenInput): number {
  const text = input.restoreDays ?? input.env.GLACIER_S3_RESTORE_DAYS;
  if (text === undefined || text === "") return DEFAULT_RESTORE_DAYS;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new ConsoleError(
      `--restore-days: expected a whole number of days from 1 to 365, got ${JSON.stringify(text)}`,
    );
  return days;
}
