// `glacier vault restore [--prefix P] [--tier T] [--wait] [--dry-run] [--force] VAULT DIR`:
// every live archive under the prefix (the newest per name) into DIR under its name. Jobs
// are initiated or reused for all of them at once; finished ones are downloaded and verified; the
// rest are reported with exit 75 and a summary. Running it again continues: files already restored
// (same size and tree hash) count as done. Nothing is ever written outside DIR. The rest of the tree
// (folders, empty files, links, modes, mtimes; docs/restore.md) comes from the manifest, or for the
// latest state from the cache's record of the last backup; sparse files come back sparse.
import { lstat, mkdir, rename } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { normalizePrefix, stripPrefix } from "../core/archive-prefix.ts";
import {
  ConsoleError,
  ExitCode,
  GlacierCliError,
  IntegrityError,
  ServiceError,
  UsageError,
  defined,
} from "../core/errors.ts";
import type { Manifest } from "../core/manifest.ts";
import { pyRepr } from "../core/py-repr.ts";
import { withTextPath } from "../platform/byte-path.ts";
import { TreeRecords } from "../services/tree-record.ts";
import { forecastJobs } from "./shared/restore-dry-run.ts";
import { resolveArchive } from "./shared/resolve.ts";
import {
  applyFileMeta,
  applyNodeMeta,
  createNodes,
  displayPath,
  extraPaths,
  planFromManifest,
  planFromRecords,
  refuseLinkedParents,
  removeExtra,
  targetPath,
  type FsPath,
  type TreePlan,
} from "./shared/restore-tree.ts";
import { downloadChunkFlag } from "./shared/size-flags.ts";
import { plural } from "../core/human-units.ts";
import { liveArchives } from "../core/live-archives.ts";
import { safeRelativePath } from "../core/safe-path.ts";
import type { CachedArchive, JobDescription, Tier } from "../core/types.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { downloadArchive, unverifiedNotice } from "../glacier/download.ts";
import type { Deps } from "./deps.ts";
import { parseTier } from "./archive-retrieve.ts";
import { obtainJob } from "./shared/job-runner.ts";
import { expectedReady } from "./shared/job-eta.ts";
import { readManifest } from "./shared/manifest-io.ts";
import { prepareFolders } from "./shared/restore-folders.ts";
import { snapshotArchives } from "../core/snapshots.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface RestoreOptions {
  vault: string;
  dir: string;
  prefix: string;
  tier?: Tier;
  wait: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
  chunkSize?: number;
  /** Restore exactly the snapshot this manifest archive records. */
  manifest?: string;
  /** With manifest: delete what DIR holds beyond the snapshot. */
  deleteExtra: boolean;
}

export function parse(raw: Invocation<typeof specs.vaultRestore>): RestoreOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const options: RestoreOptions = {
    vault,
    dir: raw.args[1],
    prefix: normalizePrefix(raw.flags.prefix),
    wait: raw.flags.wait,
    dryRun: raw.flags.dryRun,
    force: raw.flags.force,
    json: raw.flags.json,
    deleteExtra: raw.flags.deleteExtra,
  };
  if (raw.flags.manifest !== undefined) options.manifest = raw.flags.manifest;
  if (raw.flags.tier !== undefined) options.tier = parseTier(raw.flags.tier);
  const chunkSize = downloadChunkFlag(raw.flags.multipartSize);
  if (chunkSize !== undefined) options.chunkSize = chunkSize;
  return options;
}

/** Archives failed in a row on service errors (after their own retries) before the rest are skipped. */
const OUTAGE_AFTER = 3;

interface Item {
  name: string;
  segments: string[];
  /** For messages. */
  target: string;
  /** For file system calls (bytes when the name is not UTF-8). */
  fsTarget: FsPath;
  archive: CachedArchive;
}

async function applyMeta(tree: TreePlan, item: Item): Promise<void> {
  const meta = tree.fileMeta.get(item.name);
  if (meta) await applyFileMeta(item.fsTarget, meta);
}

function parentPath(path: FsPath): FsPath {
  return typeof path === "string" ? dirname(path) : path.subarray(0, path.lastIndexOf(0x2f));
}

export async function run(options: RestoreOptions, deps: Deps): Promise<ExitCode> {
  const root = resolve(deps.cwd, options.dir);
  if (options.deleteExtra && !options.manifest)
    throw new UsageError("--delete-extra needs --manifest: only a snapshot says exactly what DIR should hold");
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  let newest: Map<string, CachedArchive>;
  let tree: TreePlan;
  let lost: Set<string> | undefined;
  if (options.manifest) {
    lost = await lostFromSnapshot(deps, options);
    const manifest = await readManifest(deps, options.vault, options.manifest, {
      wait: options.wait,
      dryRun: options.dryRun,
      ...(options.tier ? { tier: options.tier } : {}),
    });
    if (!manifest) {
      // A dry run starts no job, not even for the manifest (docs/restore.md "Dry runs").
      const archive = await resolveArchive(cache, options.vault, options.manifest);
      const forecast = await forecastJobs(deps, options.vault, [archive], options.tier);
      deps.output.info(
        `dry run: manifest ${pyRepr(options.manifest)} is not retrieved yet, so the archives it lists are ` +
          `not known; ${forecast.text} for it first; no job was started`,
      );
      return ExitCode.ok;
    }
    newest = manifestRows(manifest, options, await cache.list(options.vault, { includeDeleted: true }), lost, deps);
    tree = planFromManifest(manifest, options.prefix);
  } else {
    newest = liveArchives(await cache.list(options.vault), options.prefix).newest;
    const records = TreeRecords.load(cache.dir, settings.region, options.vault).all();
    tree = planFromRecords(records, newest, options.prefix);
    if (tree.gone.size > 0) {
      for (const name of tree.gone) newest.delete(name);
      deps.output.info(
        `${plural(tree.gone.size, "archive")} not restored: ` +
          `${tree.gone.size === 1 ? "its file was" : "their files were"} gone at the last backup (restore it ` +
          `by name, or use --manifest)`,
      );
    }
    if (newest.size > 0 && tree.fileMeta.size === 0 && tree.nodes.length === 0) {
      deps.output.info(
        `the cache holds no record of the tree under '${options.prefix}' (folders, links, empty files, ` +
          `modes, mtimes): restoring file contents only; a manifest archive has the rest (--manifest NAME)`,
      );
    }
  }
  const items: Item[] = [];
  let failed = lost?.size ?? 0;
  for (const [name, archive] of newest) {
    const safe = safeRelativePath(defined(stripPrefix(options.prefix, name), "stripPrefix(options.prefix, name)"));
    if (!safe.ok) {
      deps.output.warn(`archive ${JSON.stringify(name)} not restored: ${safe.reason}`);
      failed++;
      continue;
    }
    const fsTarget = targetPath(root, safe.segments);
    items.push({ name, segments: safe.segments, target: displayPath(fsTarget), fsTarget, archive });
  }
  if (newest.size === 0 && tree.nodes.length === 0)
    deps.output.warn(
      `no archive of vault '${options.vault}' under '${options.prefix}' in the cache; if it holds archives ` +
        `uploaded from elsewhere, run 'glacier vault sync ${options.vault}' first`,
    );
  const wanted = new Set(
    [...newest.keys(), ...tree.nodes.map((n) => n.name)].map((n) =>
      defined(stripPrefix(options.prefix, n), "stripPrefix(options.prefix, n)"),
    ),
  );
  const extra = options.deleteExtra ? await extraPaths(root, wanted) : [];

  const todo: Item[] = [];
  let present = 0;
  for (const item of items) {
    const state = await existing(deps, item);
    if (state === "same") {
      present++;
      if (!options.dryRun) await applyMeta(tree, item);
    } else if (state === "different" && !options.force) {
      deps.output.warn(
        `${item.target}: exists and differs from archive ${JSON.stringify(item.name)}; not overwritten (use --force)`,
      );
      failed++;
    } else todo.push(item);
  }
  if (options.dryRun) {
    for (const item of todo) await deps.output.data(`${item.name}\n`);
    for (const path of extra) deps.output.info(`would delete ${join(root, path)} (not in the snapshot)`);
    const forecast = await forecastJobs(
      deps,
      options.vault,
      todo.map((i) => i.archive),
      options.tier,
    );
    deps.output.info(
      `dry run: ${plural(todo.length, "archive")} would be restored into ${root} (${present} already ` +
        `present, ${plural(tree.nodes.length, "folder, empty file or link", "folders, empty files and links")} ` +
        `recorded); ${forecast.text}; no job was started`,
    );
    return failed > 0 ? ExitCode.failure : ExitCode.ok;
  }
  for (const path of extra) {
    await removeExtra(root, path);
    deps.output.info(`deleted ${join(root, path)} (not in the snapshot)`);
  }

  const glacier = await deps.glacier();
  const jobs = todo.length > 0 ? await glacier.listJobs(options.vault) : [];
  let restored = 0;
  const pending: { item: Item; job?: JobDescription }[] = [];
  const restore = async (item: Item, job: JobDescription) => {
    if (typeof item.fsTarget === "string") await prepareFolders(root, item.fsTarget);
    else {
      await refuseLinkedParents(root, item.segments).catch((error: unknown) => {
        throw new ConsoleError(`not restored: ${(error as Error).message}`);
      });
      await mkdir(parentPath(item.fsTarget), { recursive: true });
    }
    // A name that is not UTF-8 is downloaded under a stand-in name in DIR, then renamed (platform/byte-path.ts).
    const downloadTo =
      typeof item.fsTarget === "string"
        ? item.fsTarget
        : join(root, `.glacier-restore-${item.archive.id.slice(0, 16)}`);
    const known = {
      size: item.archive.size,
      treeHash: item.archive.treeHash,
      source: options.manifest ? `manifest ${JSON.stringify(options.manifest)}` : "the archive cache",
    };
    const sparse = deps.env.GLACIER_NO_HOLES !== "1";
    const result = await downloadArchive({
      port: glacier,
      job,
      clock: deps.clock,
      known,
      target: { path: downloadTo },
      sparse,
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    });
    if (!result.verified) deps.output.warn(unverifiedNotice(item.name));
    if (downloadTo !== item.fsTarget) await rename(downloadTo, item.fsTarget);
    await applyMeta(tree, item);
    restored++;
    if (options.json)
      await deps.output.data(
        `${JSON.stringify({ event: "restored", name: item.name, path: item.target, size: item.archive.size })}\n`,
      );
    else deps.output.info(`restored ${item.name}`);
  }; // Archives are downloaded one after another, each with its own retries: against a Glacier that
  // fails everything, thousands of archives would take hours to fail. After OUTAGE_AFTER archives in
  // a row failed on service errors or bad bytes the rest are not tried (README.md "Reliability":
  // bounded when every request fails).
  let serviceFailuresInARow = 0;
  let notTried = 0;
  const attempt = async (item: Item, wait: boolean) => {
    if (serviceFailuresInARow >= OUTAGE_AFTER) {
      notTried++;
      failed++;
      return true;
    }
    try {
      const outcome = await obtainJob(
        deps,
        glacier,
        options.vault,
        { kind: "archive", archiveId: item.archive.id, label: item.name },
        {
          wait,
          jobs: wait ? await glacier.listJobs(options.vault) : jobs,
          ...(options.tier ? { tier: options.tier } : {}),
        },
      );
      if (outcome.ready) await restore(item, outcome.job);
      else return false;
      serviceFailuresInARow = 0;
    } catch (error) {
      if (!(error instanceof GlacierCliError)) throw error;
      deps.output.error(`${item.name}: ${error.message}`);
      failed++;
      serviceFailuresInARow =
        error instanceof ServiceError || error instanceof IntegrityError ? serviceFailuresInARow + 1 : 0;
    }
    return true;
  };
  // First every job is found or started, so they all run at Glacier at the same time.
  for (const item of todo) if (!(await attempt(item, false))) pending.push({ item });
  if (options.wait) {
    for (const p of pending.splice(0)) if (!(await attempt(p.item, true))) pending.push(p);
  }

  if (tree.nodes.length > 0) {
    const nodes = await createNodes(deps, root, options.prefix, tree, options.force);
    failed += nodes.failed;
    await applyNodeMeta(root, options.prefix, tree);
    deps.output.info(
      `${plural(nodes.created, "folder, empty file or link", "folders, empty files and links")} created, ` +
        `${nodes.present} already present${nodes.failed > 0 ? `, ${nodes.failed} not restored` : ""}`,
    );
  }
  if (notTried > 0)
    deps.output.error(
      `giving up: ${OUTAGE_AFTER} archives in a row failed against Glacier; ${notTried} more not tried; run ` +
        `the same command again later`,
    );
  const after = await (pending.length > 0 ? glacier.listJobs(options.vault) : Promise.resolve([] as JobDescription[]));
  const ready = expectedReady(
    pending.map((p) => p.item.archive.id),
    after,
    options.tier,
  );
  const summary =
    `restore of vault '${options.vault}' into ${root}: ${restored} restored, ${present} already present, ` +
    `${pending.length} pending, ${failed} failed`;
  if (pending.length > 0) {
    deps.output.info(
      `${summary}; ` +
        (ready
          ? `expected ready by ${ready}; run the same command again then`
          : "run the same command again to continue"),
    );
    return failed > 0 ? ExitCode.failure : ExitCode.pending;
  }
  deps.output.info(summary);
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

/** The archives a manifest names, as cache rows (the archive ids are the manifest's, not the newest). */
function manifestRows(
  manifest: Manifest,
  options: RestoreOptions,
  cached: readonly CachedArchive[],
  lost: Set<string>,
  deps: Deps,
): Map<string, CachedArchive> {
  const byId = new Map(cached.map((a) => [a.id, a]));
  const rows = new Map<string, CachedArchive>();
  for (const e of manifest.entries) {
    if (stripPrefix(options.prefix, e.name) === undefined) continue;
    const row = byId.get(e.archiveId);
    if (row && row.deletedHere !== null) {
      if (!lost.has(e.name)) sayLost(deps, e.name, row);
      lost.add(e.name);
      continue;
    }
    rows.set(e.name, {
      id: e.archiveId,
      vault: options.vault,
      name: e.name,
      treeHash: e.treeHash,
      size: e.size,
      lastSeenUpstream: null,
      createdHere: null,
      deletedHere: null,
      creationDate: e.time,
    });
  }
  return rows;
}

function sayLost(deps: Deps, name: string, archive: CachedArchive): void {
  deps.output.error(
    `${name}: cannot be restored from this snapshot: its archive was deleted` +
      (archive.deletedHere === null ? "" : ` on ${new Date(archive.deletedHere).toISOString().slice(0, 10)}`),
  );
}

/**
 * Files of the snapshot whose archive the cache knows to be deleted (a pruned old version,
 * docs/retention.md), said before any job is started, even the manifest's; they are left out.
 */
async function lostFromSnapshot(deps: Deps, options: RestoreOptions): Promise<Set<string>> {
  const cache = await deps.cache();
  const lost = new Set<string>();
  const cached = await cache.list(options.vault, { includeDeleted: true });
  const known = snapshotArchives(
    cached,
    await resolveArchive(cache, options.vault, defined(options.manifest, "options.manifest")),
  );
  for (const [name, archive] of known ?? []) {
    if (archive.deletedHere === null || stripPrefix(options.prefix, name) === undefined) continue;
    sayLost(deps, name, archive);
    lost.add(name);
  }
  if (lost.size > 0)
    deps.output.warn(
      `snapshot ${defined(options.manifest, "options.manifest")} is incomplete: ` +
        `${plural(lost.size, "file")} cannot be restored; the others are`,
    );
  return lost;
}

/** A file already at the target: the same bytes as the archive (size and tree hash), or not. */
async function existing(deps: Deps, item: Item): Promise<"absent" | "same" | "different"> {
  // lstat: a symbolic link where the file belongs is "different", never read or written through.
  const info = await lstat(item.fsTarget).catch(() => undefined);
  if (!info) return "absent";
  if (!info.isFile() || info.size !== item.archive.size || item.archive.treeHash === null) return "different";
  const fsPath = typeof item.fsTarget === "string" ? undefined : item.fsTarget;
  const digest = await withTextPath(item.target, fsPath, (path) => deps.hashPool().hashFile(path)).catch(
    () => undefined,
  );
  return digest?.treeHash === item.archive.treeHash ? "same" : "different";
}
