// `glacier archive multi-upload [--resume] [--prefix P] [--exclude GLOB]... [--follow-symlinks]
// [--manifest] [--dry-run] [--json] VAULT DIR...` (the fork's command with its flaws fixed: names are
// paths relative to DIR, not basenames; --resume compares name, size and tree hash, not names only;
// multipart above the part size instead of a 4 GB single request). The whole tree is recorded
// (docs/restore.md): with one DIR, its folders, links, empty files, modes and mtimes become the
// latest state of the prefix, and with --manifest a manifest archive as well.
import { normalizePrefix } from "../core/archive-prefix.ts";
import { ExitCode, UsageError, defined } from "../core/errors.ts";
import { plural } from "../core/human-units.ts";
import { partSizeFlag } from "./shared/size-flags.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { walkTrees, type WalkEntry } from "../platform/tree-walk.ts";
import { withTextPath } from "../platform/byte-path.ts";
import { positiveInt } from "./archive-upload.ts";
import { withoutEmptyFiles } from "./shared/empty-files.ts";
import { recordTree, writeManifest } from "./shared/manifest-io.ts";
import { reportWalk } from "./shared/walk-report.ts";
import { mib, uploadFiles } from "./shared/tree-upload.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface MultiUploadOptions {
  vault: string;
  dirs: string[];
  resume: boolean;
  prefix: string;
  exclude: string[];
  followSymlinks: boolean;
  manifest: boolean;
  dryRun: boolean;
  json: boolean;
  concurrency: number;
  partSize?: number;
}

export function parse(raw: Invocation<typeof specs.archiveMultiUpload>): MultiUploadOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const options: MultiUploadOptions = {
    vault,
    dirs: [...raw.args[1]],
    resume: raw.flags.resume,
    prefix: normalizePrefix(raw.flags.prefix),
    exclude: raw.flags.exclude,
    followSymlinks: raw.flags.followSymlinks,
    manifest: raw.flags.manifest,
    dryRun: raw.flags.dryRun,
    json: raw.flags.json,
    concurrency: positiveInt(raw.flags.concurrency, "--concurrency", 4),
  };
  const partSize = partSizeFlag(raw.flags.partSize);
  if (partSize !== undefined) options.partSize = partSize;
  return options;
}

export async function run(options: MultiUploadOptions, deps: Deps): Promise<ExitCode> {
  const dirs = options.dirs.map((dir) => (dir.startsWith("/") ? dir : `${deps.cwd}/${dir}`));
  const walk = await walkTrees(dirs, {
    prefix: options.prefix,
    exclude: options.exclude,
    followSymlinks: options.followSymlinks,
  });
  reportWalk(deps, walk);
  if (options.manifest && dirs.length !== 1) throw new UsageError("--manifest describes one tree: give one DIR");
  const entries = withoutEmptyFiles(deps, walk.entries);
  const todo = options.resume ? await notYetUploaded(deps, options.vault, entries) : entries;
  const skippedCount = entries.length - todo.length;
  if (skippedCount > 0)
    deps.output.info(`${plural(skippedCount, "file")} already uploaded (same name, size and tree hash); skipped`);
  if (options.dryRun) {
    for (const entry of todo)
      await deps.output.data(
        options.json
          ? `${JSON.stringify({ event: "would-upload", name: entry.name, size: entry.size })}\n`
          : `${entry.name}\n`,
      );
    deps.output.info(
      `dry run: ${plural(todo.length, "file")} (${mib(todo.reduce((s, e) => s + e.size, 0))}) would be ` +
        `uploaded; nothing was sent`,
    );
    return walk.problems.length > 0 ? ExitCode.failure : ExitCode.ok;
  }
  const result = await uploadFiles(deps, todo, {
    vault: options.vault,
    concurrency: options.concurrency,
    json: options.json,
    ...(options.partSize ? { partSize: options.partSize } : {}),
  });
  deps.output.info(
    `${plural(result.uploaded, "archive")} uploaded (${mib(result.bytes)})` +
      (result.failed.length > 0 ? `; ${result.failed.length} failed` : ""),
  );
  const failed = walk.problems.length > 0 || result.failed.length > 0;
  if (dirs.length === 1 && !failed) {
    const tree = { root: defined(dirs[0], "dirs[0]"), snapshot: { files: walk.entries, nodes: walk.nodes } };
    if (options.manifest)
      deps.output.info(
        `manifest ${await writeManifest(deps, options.vault, options.prefix, tree)} records this snapshot`,
      );
    else await recordTree(deps, options.vault, options.prefix, tree);
  } else if (options.manifest)
    deps.output.warn(
      `no manifest written: this run had problems, so the tree in the vault is not one consistent snapshot`,
    );
  return failed ? ExitCode.failure : ExitCode.ok;
}

/**
 * --resume: a file is skipped only when a live archive with the same name, size and tree hash is
 * recorded. Only files whose name and size match are hashed (on worker threads): the rest must be
 * sent anyway. A half-finished multipart upload continues from its recorded parts in any case.
 */
async function notYetUploaded(deps: Deps, vault: string, entries: readonly WalkEntry[]): Promise<WalkEntry[]> {
  const cache = await deps.cache();
  const live = new Map<string, { size: number | null; treeHash: string | null }[]>();
  for (const archive of await cache.list(vault)) {
    if (archive.name === null) continue;
    const list = live.get(archive.name) ?? [];
    list.push({ size: archive.size, treeHash: archive.treeHash });
    live.set(archive.name, list);
  }
  const candidates = entries.filter((e) => live.get(e.name)?.some((a) => a.size === e.size && a.treeHash !== null));
  const pool = deps.hashPool();
  const hashes = await Promise.all(
    candidates.map((e) =>
      withTextPath(e.path, e.fsPath, (path) => pool.hashFile(path)).then(
        (d) => d.treeHash,
        () => undefined,
      ),
    ),
  );
  const done = new Set<string>();
  candidates.forEach((e, i) => {
    if (defined(live.get(e.name), "live.get(e.name)").some((a) => a.size === e.size && a.treeHash === hashes[i]))
      done.add(e.path);
  });
  return entries.filter((e) => !done.has(e.path));
}
