// `--prefix P` of multi-upload, reconcile and restore: archive names are paths relative to
// DIR with `/` separators, "optionally under a prefix". The prefix is a folder: "tm" and "tm/" both
// put `bands/0` at `tm/bands/0`, and only names below that folder belong to the tree.
import { UsageError } from "./errors.ts";

/** "" or a relative folder path ending in "/" ("mac/tm/"). */
export type ArchivePrefix = string;

export function normalizePrefix(prefix: string | undefined): ArchivePrefix {
  if (prefix === undefined || prefix === "") return "";
  const body = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  const segments = body.split("/");
  const bad =
    prefix.startsWith("/") || prefix.includes("\0") || segments.some((s) => s === "" || s === "." || s === "..");
  if (bad)
    throw new UsageError(`--prefix must be a relative folder path such as backups/mac (got ${JSON.stringify(prefix)})`);
  return `${body}/`;
}

/** The archive name of a file at `relativePath` (with `/` separators) under the prefix. */
export function withPrefix(prefix: ArchivePrefix, relativePath: string): string {
  return prefix + relativePath;
}

/** The path below the prefix, or undefined when the name is not under it. */
export function stripPrefix(prefix: ArchivePrefix, name: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return rest === "" ? undefined : rest;
}
