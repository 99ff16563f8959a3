// Snapshots (docs/retention.md): each manifest archive in the cache is a snapshot of the tree under
// its prefix. What it lists is rebuilt from the cache's history, without retrieving it: the newest
// archive per name that was uploaded before the manifest, and neither deleted nor superseded by
// then, which is exactly how the manifest was computed when it was written. A snapshot is complete
// while every one of those archives still exists, and stays restorable until the first of them that
// is superseded may be pruned.
import { stripPrefix } from "./archive-prefix.ts";
import { liveArchives, uploadedAt } from "./live-archives.ts";
import { isManifestName, manifestPrefix } from "./manifest-name.ts";
import { deletableAt, type RetentionPolicy } from "./retention.ts";
import type { CachedArchive } from "./types.ts";
import { defined } from "./errors.ts";

export interface SnapshotInfo {
  manifest: CachedArchive;
  prefix: string;
  /** When the manifest was uploaded (epoch ms). */
  at: number;
  files: number;
  bytes: number;
  /** Files whose archive has been deleted since: they cannot be restored. */
  missing: { name: string; archive: CachedArchive }[];
  /** "current": every archive is a current version; a time: when the first kept version may go; null: unknown. */
  restorableUntil: "current" | number | null;
}

/** name -> archive, as the manifest archive `manifest` listed them (archives as they are now). */
export function snapshotArchives(
  cached: readonly CachedArchive[],
  manifest: CachedArchive,
): Map<string, CachedArchive> | undefined {
  const prefix = manifest.name === null ? undefined : manifestPrefix(manifest.name);
  const at = uploadedAt(manifest);
  if (prefix === undefined || at === null) return undefined;
  const byId = new Map<string, CachedArchive>();
  const view: CachedArchive[] = [];
  for (const a of cached) {
    if (a.name === null || isManifestName(a.name) || stripPrefix(prefix, a.name) === undefined) continue;
    const up = uploadedAt(a);
    if (up === null || up > at) continue;
    if (a.deletedHere !== null && a.deletedHere <= at) continue;
    if (a.superseded && a.superseded.at <= at) continue;
    byId.set(a.id, a);
    const { superseded: _ignored, ...plain } = a;
    view.push({ ...plain, deletedHere: null });
  }
  const result = new Map<string, CachedArchive>();
  for (const [name, a] of liveArchives(view, prefix).newest)
    result.set(name, defined(byId.get(a.id), "byId.get(a.id)"));
  return result;
}

/** Every manifest archive of the cache under `prefix` (or covering it), oldest first. */
export function listSnapshots(
  cached: readonly CachedArchive[],
  prefix: string,
  policy: RetentionPolicy,
): SnapshotInfo[] {
  const snapshots: SnapshotInfo[] = [];
  for (const manifest of cached) {
    if (manifest.deletedHere !== null || manifest.name === null || !isManifestName(manifest.name)) continue;
    const own = manifestPrefix(manifest.name);
    if (own === undefined || !(own.startsWith(prefix) || prefix.startsWith(own))) continue;
    const archives = snapshotArchives(cached, manifest);
    if (!archives) continue;
    const info: SnapshotInfo = {
      manifest,
      prefix: own,
      at: defined(uploadedAt(manifest), "uploadedAt(manifest)"),
      files: archives.size,
      bytes: 0,
      missing: [],
      restorableUntil: "current",
    };
    for (const [name, a] of archives) {
      info.bytes += a.size ?? 0;
      if (a.deletedHere !== null) info.missing.push({ name, archive: a });
      else if (a.superseded) {
        const until = deletableAt(a, a.superseded.at, policy);
        const known = info.restorableUntil;
        info.restorableUntil =
          until === null || known === null ? null : known === "current" ? until : Math.min(known, until);
      }
    }
    snapshots.push(info);
  }
  return snapshots.sort((a, b) => a.at - b.at);
}
