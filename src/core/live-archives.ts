// Which cached archive a name stands for: the newest live one (every live archive under
// the prefix, the newest per name). Shared by reconcile, restore and manifests.
import { stripPrefix, type ArchivePrefix } from "./archive-prefix.ts";
import { isManifestName } from "./manifest-name.ts";
import type { CachedArchive } from "./types.ts";
import { defined } from "./errors.ts";

export interface LiveArchives {
  /** name -> newest live archive, names in sorted order. */
  newest: Map<string, CachedArchive>;
  /** Names with several live archives, sorted; older ones newest first. */
  duplicates: { name: string; newest: CachedArchive; older: CachedArchive[] }[];
}

/** Upload time of an archive: its Glacier CreationDate, else when this cache recorded it. */
export function uploadedAt(archive: CachedArchive): number | null {
  return archive.creationDate ?? archive.createdHere;
}

/** Newest first by upload time (unknown oldest), then by archive id: which of one name's archives is current. */
export function newestFirst(a: CachedArchive, b: CachedArchive): number {
  const ta = uploadedAt(a) ?? -Infinity;
  const tb = uploadedAt(b) ?? -Infinity;
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The live archives whose names are under the prefix. Deleted rows, superseded archives (old versions
 * kept for older snapshots, docs/retention.md), rows without a name and manifest archives (which
 * describe a tree and are no part of it) are left out.
 */
export function liveArchives(cached: readonly CachedArchive[], prefix: ArchivePrefix): LiveArchives {
  const groups = new Map<string, CachedArchive[]>();
  for (const archive of cached) {
    if (archive.deletedHere !== null || archive.superseded || archive.name === null || isManifestName(archive.name))
      continue;
    if (stripPrefix(prefix, archive.name) === undefined) continue;
    const group = groups.get(archive.name);
    if (group) group.push(archive);
    else groups.set(archive.name, [archive]);
  }
  const result: LiveArchives = { newest: new Map(), duplicates: [] };
  for (const name of [...groups.keys()].sort(byName)) {
    const [newest, ...older] = defined(groups.get(name), "groups.get(name)").sort(newestFirst);
    result.newest.set(name, defined(newest, "newest"));
    if (older.length > 0) result.duplicates.push({ name, newest: defined(newest, "newest"), older });
  }
  return result;
}
