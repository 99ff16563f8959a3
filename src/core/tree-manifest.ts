// The manifest of a tree just backed up (docs/restore.md): every regular file as the newest live
// archive of its name, with the mode and mtime it had when it was read; empty files, folders and
// symbolic links as tree lines. Archives under the prefix whose file is gone (reconcile without
// --delete-removed) are not part of the tree and are left out.
import type { ArchivePrefix } from "./archive-prefix.ts";
import { liveArchives, uploadedAt } from "./live-archives.ts";
import type { Manifest, ManifestEntry } from "./manifest.ts";
import type { TreeNode } from "./tree-entry.ts";
import type { CachedArchive } from "./types.ts";

export interface TreeFile {
  name: string;
  size: number;
  mode: number;
  mtimeMs: number;
}

export interface TreeSnapshot {
  files: readonly TreeFile[];
  /** Folders and symbolic links. */
  nodes: readonly TreeNode[];
}

/** The manifest, and the files whose archive the cache cannot describe exactly (none, or no hash). */
export function treeManifest(
  tree: TreeSnapshot,
  cached: readonly CachedArchive[],
  vault: string,
  prefix: ArchivePrefix,
  createdAt: number,
): { manifest: Manifest; incomplete: string[] } {
  const { newest } = liveArchives(cached, prefix);
  const entries: ManifestEntry[] = [];
  const nodes: TreeNode[] = [...tree.nodes];
  const incomplete: string[] = [];
  for (const file of tree.files) {
    const meta = { mode: file.mode, mtime: file.mtimeMs };
    if (file.size === 0) {
      nodes.push({ kind: "empty", name: file.name, ...meta });
      continue;
    }
    const archive = newest.get(file.name);
    const time = archive ? uploadedAt(archive) : null;
    if (!archive || archive.size !== file.size || archive.treeHash === null || time === null)
      incomplete.push(file.name);
    else
      entries.push({
        name: file.name,
        archiveId: archive.id,
        size: archive.size,
        treeHash: archive.treeHash,
        time,
        meta,
      });
  }
  return { manifest: { vault, prefix, createdAt, entries, nodes }, incomplete };
}
