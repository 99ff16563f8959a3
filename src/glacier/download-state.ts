// The partial download kept beside the target so an interrupted download resumes: a temporary
// file in the target's folder (same file system, so the final rename is atomic) and a small JSON
// sidecar listing the ranges already written, verified and fsynced, with their tree hashes (needed
// to verify the whole archive at the end without reading the file again).
// Nothing at these names is ever followed: they sit in a folder others may write to (a restore DIR),
// and a symbolic link planted there would carry the bytes anywhere. They are opened with O_NOFOLLOW
// and created with O_EXCL after unlinking whatever was there (unlink removes a link, not its target).
import { constants } from "node:fs";
import { lstat, open, readFile, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFully } from "../platform/write-fully.ts";

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR } = constants;

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
  /** Held by the one process writing this target (see target-lock.ts). */
  lock: string;
}

export function partialPaths(target: string): PartialPaths {
  const temp = join(dirname(target), `.${basename(target)}.glacier-partial`);
  return { temp, sidecar: `${temp}.json`, lock: `${temp}.lock` };
}

/** Creates `path` afresh for reading and writing: whatever sits there is unlinked, never followed. */
export async function createExclusive(path: string): Promise<FileHandle> {
  const info = await lstat(path).catch(() => undefined);
  if (info?.isDirectory()) throw Object.assign(new Error("is a folder, not removed"), { code: "EISDIR" });
  if (info) await rm(path, { force: true });
  return open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
}

/** The temporary file of an earlier run, if it is a plain file of our own (not a link, one name). */
export async function reopenPartial(path: string): Promise<FileHandle | undefined> {
  const handle = await open(path, O_RDWR | O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  const info = await handle.stat().catch(() => undefined);
  if (info?.isFile() && info.nlink === 1) return handle;
  await handle.close();
  return undefined;
}

/** Ranges already done for this very download, or undefined when there is nothing to resume. */
export async function loadProgress(
  paths: PartialPaths,
  identity: DownloadIdentity,
): Promise<Map<number, string> | undefined> {
  // As read from disk: any JSON, checked below before use.
  let parsed: Omit<SidecarFile, "version" | "ranges"> & { version: unknown; ranges?: SidecarFile["ranges"] | null };
  try {
    parsed = JSON.parse(
      await readFile(paths.sidecar, { encoding: "utf8", flag: O_RDONLY | O_NOFOLLOW }),
    ) as typeof parsed;
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
export async function saveProgress(
  paths: PartialPaths,
  identity: DownloadIdentity,
  ranges: ReadonlyMap<number, string>,
): Promise<void> {
  const content: SidecarFile = {
    version: 1,
    ...identity,
    ranges: Object.fromEntries([...ranges].map(([k, v]) => [String(k), v])),
  };
  const next = `${paths.sidecar}.new`;
  const handle = await createExclusive(next);
  try {
    await writeFully(handle, [Buffer.from(JSON.stringify(content))], 0);
  } finally {
    await handle.close();
  }
  // rename replaces whatever is at the sidecar's name (a link itself, not its target).
  await rename(next, paths.sidecar);
}

export async function removePartial(paths: PartialPaths): Promise<void> {
  await Promise.all([
    rm(paths.temp, { force: true }),
    rm(paths.sidecar, { force: true }),
    rm(`${paths.sidecar}.new`, { force: true }),
  ]);
}
