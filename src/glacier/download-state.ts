// The partial download kept beside the target so an interrupted download resumes: a temporary
// file in the target's folder (same file system, so the final rename is atomic) and a small JSON
// sidecar listing the ranges already written, verified and fsynced, with their tree hashes (needed
// to verify the whole archive at the end without reading the file again).
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface DownloadIdentity {
  archiveId: string;
  /** The tree hash the whole output must have (may be unknown for partial retrievals). */
  expectedTreeHash: string | null;
  size: number;
  chunkSize: number;
}

interface SidecarFile extends DownloadIdentity {
  version: 1;
  /** Range index -> tree hash, for ranges durably written to the temporary file. */
  ranges: Record<string, string>;
}

export interface PartialPaths {
  temp: string;
  sidecar: string;
}

export function partialPaths(target: string): PartialPaths {
  const temp = join(dirname(target), `.${basename(target)}.glacier-partial`);
  return { temp, sidecar: `${temp}.json` };
}

/** Ranges already done for this very download, or undefined when there is nothing to resume. */
export async function loadProgress(paths: PartialPaths, identity: DownloadIdentity): Promise<Map<number, string> | undefined> {
  let parsed: SidecarFile;
  try {
    parsed = JSON.parse(await readFile(paths.sidecar, "utf8")) as SidecarFile;
  } catch {
    return undefined;
  }
  const same =
    parsed.version === 1 &&
    parsed.archiveId === identity.archiveId &&
    parsed.expectedTreeHash === identity.expectedTreeHash &&
    parsed.size === identity.size &&
    parsed.chunkSize === identity.chunkSize;
  if (!same || typeof parsed.ranges !== "object" || parsed.ranges === null) return undefined;
  const ranges = new Map<number, string>();
  for (const [index, hash] of Object.entries(parsed.ranges)) {
    if (/^\d+$/.test(index) && /^[0-9a-f]{64}$/.test(hash)) ranges.set(Number(index), hash);
  }
  return ranges;
}

/** Writes the sidecar atomically (temp + rename); calls are serialised by the caller. */
export async function saveProgress(paths: PartialPaths, identity: DownloadIdentity, ranges: ReadonlyMap<number, string>): Promise<void> {
  const content: SidecarFile = { version: 1, ...identity, ranges: Object.fromEntries([...ranges].map(([k, v]) => [String(k), v])) };
  const next = `${paths.sidecar}.new`;
  await writeFile(next, JSON.stringify(content));
  await rename(next, paths.sidecar);
}

export async function removePartial(paths: PartialPaths): Promise<void> {
  await Promise.all([rm(paths.temp, { force: true }), rm(paths.sidecar, { force: true }), rm(`${paths.sidecar}.new`, { force: true })]);
}
