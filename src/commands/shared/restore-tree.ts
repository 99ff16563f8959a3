// The rest of the tree around the restored archives (docs/restore.md): folders (empty ones too),
// empty files and symbolic links are created, and modes and mtimes are set after the content (a
// folder's last, deepest first, since creating its children changes its mtime). Links are created
// as links and never written through: a path that holds something else is left alone unless
// --force, and a folder of DIR that is a link is never followed.
import { chmod, lstat, lutimes, mkdir, readlink, readdir, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stripPrefix, type ArchivePrefix } from "../../core/archive-prefix.ts";
import { bytesFromName, hasEscapedBytes, nameFromBytes } from "../../core/byte-names.ts";
import { uploadedAt } from "../../core/live-archives.ts";
import type { Manifest } from "../../core/manifest.ts";
import { safeRelativePath } from "../../core/safe-path.ts";
import type { FileMeta, TreeNode } from "../../core/tree-entry.ts";
import type { CachedArchive } from "../../core/types.ts";
import type { Deps } from "../deps.ts";
import type { TreeRecord } from "../../services/tree-record.ts";
import { defined } from "../../core/errors.ts";

export type FsPath = string | Buffer;

export interface TreePlan {
  /** Archive name -> the mode and mtime of its file. */
  fileMeta: Map<string, FileMeta>;
  nodes: TreeNode[];
  /** Live archives uploaded before the last backup whose file was gone then: not part of the latest state. */
  gone: Set<string>;
}

export function planFromManifest(manifest: Manifest, prefix: ArchivePrefix): TreePlan {
  const fileMeta = new Map<string, FileMeta>();
  for (const e of manifest.entries)
    if (e.meta && stripPrefix(prefix, e.name) !== undefined) fileMeta.set(e.name, e.meta);
  return { fileMeta, nodes: manifest.nodes.filter((n) => stripPrefix(prefix, n.name) !== undefined), gone: new Set() };
}

/**
 * The latest state: the tree records under the prefix, with a file's mode and mtime only when its
 * recorded archive is the newest one (a file uploaded since, by another command, has none). An
 * archive kept after its file was removed (reconcile without --delete-removed) is not restored.
 */
export function planFromRecords(
  records: readonly TreeRecord[],
  newest: ReadonlyMap<string, CachedArchive>,
  prefix: ArchivePrefix,
): TreePlan {
  const plan: TreePlan = { fileMeta: new Map(), nodes: [], gone: new Set() };
  for (const record of records) {
    const listed = new Set([...record.manifest.entries, ...record.manifest.nodes].map((e) => e.name));
    for (const [name, archive] of newest) {
      const at = uploadedAt(archive);
      if (
        stripPrefix(record.prefix, name) !== undefined &&
        !listed.has(name) &&
        at !== null &&
        at <= record.manifest.createdAt
      )
        plan.gone.add(name);
    }
    for (const e of record.manifest.entries) {
      if (e.meta && newest.get(e.name)?.id === e.archiveId && stripPrefix(prefix, e.name) !== undefined)
        plan.fileMeta.set(e.name, e.meta);
    }
    for (const node of record.manifest.nodes)
      if (stripPrefix(prefix, node.name) !== undefined && !newest.has(node.name)) plan.nodes.push(node);
  }
  return plan;
}

/** DIR joined with the segments of a safe name, as bytes when a segment is not UTF-8. */
export function targetPath(root: string, segments: readonly string[]): FsPath {
  if (!segments.some(hasEscapedBytes)) return join(root, ...segments);
  return Buffer.concat([Buffer.from(root), ...segments.flatMap((s) => [Buffer.from("/"), bytesFromName(s)])]);
}

export const displayPath = (path: FsPath): string => (typeof path === "string" ? path : nameFromBytes(path));

export interface NodeOutcome {
  created: number;
  present: number;
  failed: number;
}

const info = (path: FsPath) => lstat(path).catch(() => undefined);

/** Creates the folders, empty files and links of the plan; their metadata is set by applyMeta. */
export async function createNodes(
  deps: Deps,
  root: string,
  prefix: ArchivePrefix,
  plan: TreePlan,
  force: boolean,
): Promise<NodeOutcome> {
  const outcome: NodeOutcome = { created: 0, present: 0, failed: 0 };
  const sorted = [...plan.nodes].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const node of sorted) {
    const safe = safeRelativePath(defined(stripPrefix(prefix, node.name), "stripPrefix(prefix, node.name)"));
    if (!safe.ok) {
      deps.output.warn(
        `${node.kind === "dir" ? "folder" : node.kind === "symlink" ? "link" : "file"} ` +
          `${JSON.stringify(node.name)} not restored: ${safe.reason}`,
      );
      outcome.failed++;
      continue;
    }
    const path = targetPath(root, safe.segments);
    try {
      await refuseLinkedParents(root, safe.segments);
      const now = await info(path);
      if (node.kind === "dir") {
        if (now?.isDirectory()) outcome.present++;
        else if (now && !force) throw new Error("exists and is not a folder; not replaced (use --force)");
        else {
          if (now) await rm(path, { force: true });
          await mkdir(path, { recursive: true });
          outcome.created++;
        }
      } else if (node.kind === "empty") {
        if (now?.isFile() && now.size === 0) outcome.present++;
        else if (now && !force) throw new Error("exists and is not an empty file; not overwritten (use --force)");
        else {
          if (now) await rm(path, { recursive: true, force: true });
          await mkdir(parentOf(path), { recursive: true });
          await writeFile(path, "", { flag: "wx" });
          outcome.created++;
        }
      } else {
        const target = bytesFromName(node.target);
        if (
          now?.isSymbolicLink() &&
          Buffer.from(await readlink(path, { encoding: "buffer" })).equals(Buffer.from(target))
        )
          outcome.present++;
        else if (now && !force) throw new Error("exists and is not this symbolic link; not replaced (use --force)");
        else {
          if (now) await rm(path, { recursive: true, force: true });
          await mkdir(parentOf(path), { recursive: true });
          await symlink(target, path);
          outcome.created++;
        }
      }
    } catch (error) {
      deps.output.warn(`${displayPath(path)}: ${(error as Error).message}`);
      outcome.failed++;
    }
  }
  return outcome;
}

/** Sets a restored file's mode and mtime (after its content is in place). */
export async function applyFileMeta(path: FsPath, meta: FileMeta): Promise<void> {
  await chmod(path, meta.mode);
  await utimes(path, new Date(), meta.mtime / 1000);
}

/** Modes and mtimes of empty files, links and folders (deepest first, after everything else). */
export async function applyNodeMeta(root: string, prefix: ArchivePrefix, plan: TreePlan): Promise<void> {
  const nodes = [...plan.nodes].sort((a, b) => b.name.split("/").length - a.name.split("/").length);
  for (const kind of ["empty", "symlink", "dir"] as const) {
    for (const node of nodes) {
      if (node.kind !== kind) continue;
      const safe = safeRelativePath(defined(stripPrefix(prefix, node.name), "stripPrefix(prefix, node.name)"));
      if (!safe.ok) continue;
      const path = targetPath(root, safe.segments);
      const now = await info(path);
      const fits =
        node.kind === "dir" ? now?.isDirectory() : node.kind === "empty" ? now?.isFile() : now?.isSymbolicLink();
      if (!fits) continue;
      if (node.kind === "symlink") await lutimes(path, new Date(), node.mtime / 1000).catch(() => undefined);
      else await applyFileMeta(path, node);
    }
  }
}

/**
 * Files and folders under DIR that the snapshot does not have (for --delete-extra): paths relative
 * to DIR, a folder listed once without its content. `wanted` holds the snapshot's relative names.
 */
export async function extraPaths(root: string, wanted: ReadonlySet<string>): Promise<string[]> {
  const keep = new Set<string>();
  for (const name of wanted) {
    const parts = name.split("/");
    for (let i = 1; i <= parts.length; i++) keep.add(parts.slice(0, i).join("/"));
  }
  const extra: string[] = [];
  const walk = async (folder: FsPath, relative: string) => {
    const names = await readdir(folder, { encoding: "buffer" }).catch(() => [] as Buffer[]);
    for (const raw of names.sort((a, b) => Buffer.compare(a, b))) {
      const name = nameFromBytes(raw);
      const rel = relative === "" ? name : `${relative}/${name}`;
      const path = Buffer.concat([Buffer.from(folder), Buffer.from("/"), raw]);
      if (!keep.has(rel)) extra.push(rel);
      else if ((await info(path))?.isDirectory()) await walk(path, rel);
    }
  };
  await walk(root, "");
  return extra;
}

export async function removeExtra(root: string, relative: string): Promise<void> {
  await rm(targetPath(root, relative.split("/")), { recursive: true, force: true });
}

function parentOf(path: FsPath): FsPath {
  if (typeof path === "string") return join(path, "..");
  return path.subarray(0, path.lastIndexOf(0x2f));
}

/** A folder of DIR on the way to the path that is a symbolic link would carry writes out of DIR. */
export async function refuseLinkedParents(root: string, segments: readonly string[]): Promise<void> {
  for (let i = 1; i < segments.length; i++) {
    const path = targetPath(root, segments.slice(0, i));
    const now = await info(path);
    if (now === undefined) return;
    if (now.isSymbolicLink())
      throw new Error(`${displayPath(path)} is a symbolic link, and following it could write outside ${root}`);
  }
}
