// Names of manifest archives. They live in their own hidden folder, which the tree
// walk skips and the reconcile planner ignores, so a manifest is never "removed from disk":
//   .glacier-manifest/<prefix><YYYYMMDDTHHMMSSZ>.jsonl      e.g. .glacier-manifest/mac/20260601T120000Z.jsonl
import type { ArchivePrefix } from "./archive-prefix.ts";

export const MANIFEST_FOLDER = ".glacier-manifest/";

export function isManifestName(name: string): boolean {
  return name.startsWith(MANIFEST_FOLDER);
}

/** The manifest archive name of a snapshot of the tree under `prefix` taken at `createdAt`. */
export function manifestName(prefix: ArchivePrefix, createdAt: number): string {
  const stamp = new Date(createdAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  return `${MANIFEST_FOLDER}${prefix}${stamp}.jsonl`;
}

/** The prefix a manifest archive name was written for, or undefined when the name is not one. */
export function manifestPrefix(name: string): string | undefined {
  const match = /^\.glacier-manifest\/(.*?)\d{8}T\d{6}Z\.jsonl$/.exec(name);
  return match ? match[1] : undefined;
}
