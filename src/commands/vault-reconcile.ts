// `glacier vault reconcile [--commit] [--delete-removed] [--trust-mtime] [--prefix P] VAULT DIR`
// (the fork's command, docs/compatibility.md#fork-commands, done right): a plan first, a pure
// function of the local tree and the cache, printed as counts, bytes, requests and estimated cost;
// --commit uploads new and modified files and deletes a modified file's old archive only after its
// replacement is recorded; removed files are reported, and superseded with --delete-removed:
// superseded versions are kept until their minimum storage period ends and deleted by a later run
// (docs/retention.md); one committing run per vault at a time (services/vault-lock.ts). Without
// --prefix, the prefix the folder was last backed up under is used, and a plan of "everything new,
// everything missing" whose archives sit under another prefix stops with a hint (docs/restore.md).
import { normalizePrefix } from "../core/archive-prefix.ts";
import { ConsoleError, ExitCode, UsageError } from "../core/errors.ts";
import { plural } from "../core/human-units.ts";
import { formatReconcileChanges, formatReconcilePlan, type PlanMessage } from "../core/reconcile-format.ts";
import { planReconcile, type LocalFile, type ReconcilePlan } from "../core/reconcile-plan.ts";
import { guessPrefix } from "../core/prefix-guess.ts";
import { TreeRecords } from "../services/tree-record.ts";
import { reportWalk } from "./shared/walk-report.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { HashState } from "../cache/hash-state.ts";
import { costModelFor } from "../platform/price-file.ts";
import { walkTrees } from "../platform/tree-walk.ts";
import { positiveInt } from "./archive-upload.ts";
import { withoutEmptyFiles } from "./shared/empty-files.ts";
import { hashLocalFiles } from "./shared/local-hashes.ts";
import { recordTree, writeManifest } from "./shared/manifest-io.ts";
import { uploadFiles } from "./shared/tree-upload.ts";
import { deleteOldVersions, keepVersionsFlag, wholeNumberFlag } from "./shared/old-versions.ts";
import { deleteGuard } from "../core/delete-guard.ts";
import { liveArchives } from "../core/live-archives.ts";
import type { CachedArchive } from "../core/types.ts";
import { lockVault } from "../services/vault-lock.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface ReconcileCommandOptions {
  vault: string;
  dir: string;
  commit: boolean;
  deleteRemoved: boolean;
  trustMtime: boolean;
  verbose: boolean;
  prefix: string;
  exclude: string[];
  /** --prefix was given (else the remembered one is used). */
  prefixGiven: boolean;
  followSymlinks: boolean;
  concurrency: number;
  manifest: boolean;
  prices?: string;
  keepVersions?: number;
  maxDelete?: number;
}

export function parse(raw: Invocation<typeof specs.vaultReconcile>): ReconcileCommandOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  return {
    vault,
    dir: raw.args[1],
    commit: raw.flags.commit,
    deleteRemoved: raw.flags.deleteRemoved,
    trustMtime: raw.flags.trustMtime,
    verbose: raw.flags.verbose,
    prefix: normalizePrefix(raw.flags.prefix),
    exclude: raw.flags.exclude,
    prefixGiven: raw.flags.prefix !== undefined,
    followSymlinks: raw.flags.followSymlinks,
    concurrency: positiveInt(raw.flags.concurrency, "--concurrency", 4),
    manifest: raw.flags.manifest,
    ...(raw.flags.prices !== undefined ? { prices: raw.flags.prices } : {}),
    ...optional("keepVersions", keepVersionsFlag(raw.flags.keepVersions)),
    ...optional("maxDelete", wholeNumberFlag(raw.flags.maxDelete, "--max-delete")),
  };
}

const optional = <K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, number>);

export async function run(options: ReconcileCommandOptions, deps: Deps): Promise<ExitCode> {
  const root = options.dir.startsWith("/") ? options.dir : `${deps.cwd}/${options.dir}`;
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  // Taken before the cache is read, so that a second run plans on what the first one recorded.
  const unlock = options.commit ? await lockVault(cache.dir, settings, options.vault) : undefined;
  try {
    return await reconcile(options, deps, root);
  } finally {
    unlock?.();
  }
}

async function reconcile(options: ReconcileCommandOptions, deps: Deps, root: string): Promise<ExitCode> {
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  const remembered = options.prefixGiven
    ? undefined
    : TreeRecords.load(cache.dir, settings.region, options.vault).prefixOf(root);
  if (remembered) {
    deps.output.info(
      `using --prefix '${remembered}', under which ${root} was last backed up to vault '${options.vault}'`,
    );
    options = { ...options, prefix: remembered };
  }
  const walk = await walkTrees([root], {
    prefix: options.prefix,
    exclude: options.exclude,
    followSymlinks: options.followSymlinks,
  });
  reportWalk(deps, walk);
  const cached = await cache.list(options.vault, { includeDeleted: true });
  if (options.deleteRemoved) guardRemoval(options, root, walk, cached);
  if (cached.length === 0) {
    deps.output.warn(
      `the cache knows no archive of vault '${options.vault}'; if it holds archives uploaded from elsewhere, ` +
        `run 'glacier vault sync ${options.vault}' first`,
    );
  }
  const state = await HashState.load(cache.dir, settings.region, options.vault, root);
  const entries = withoutEmptyFiles(deps, walk.entries);
  if (!options.trustMtime) deps.output.info(`computing tree hashes of ${plural(entries.length, "file")}`);
  const hashed = await hashLocalFiles(deps, entries, state, options.trustMtime);
  for (const problem of hashed.problems) deps.output.error(`${problem.path}: ${problem.reason}`);
  state.save(new Set(hashed.files.map((f) => f.name)));

  const port = await deps.glacier();
  const { pricing, namesAreKeys } = port.capabilities(options.vault);
  const costs = await costModelFor(pricing, settings.region, options.prices ?? deps.env.GLACIER_PRICES);
  // Where a name is the storage key, a changed file's upload replaces the old object unless the
  // store keeps versions (docs/retention.md#s3-buckets): the plan then shows the early-deletion fee.
  const overwritesInPlace = namesAreKeys && !((await port.keepsReplacedVersions?.(options.vault)) ?? true);
  const retention = options.keepVersions === undefined ? {} : { keepVersionsDays: options.keepVersions };
  const plan = planReconcile({
    local: hashed.files,
    cached,
    options: { deleteRemoved: options.deleteRemoved, prefix: options.prefix, retention },
    now: deps.clock.now(),
    costs,
    overwritesInPlace,
  });
  if (!options.prefixGiven && remembered === undefined)
    refuseWrongPrefix(
      plan,
      walk.entries.map((e) => e.name),
    );
  if (options.verbose || !options.commit) say(deps, formatReconcileChanges(plan));
  say(deps, formatReconcilePlan(plan, { commit: options.commit, vault: options.vault }));
  let failed = walk.problems.length + hashed.problems.length;
  if (!options.commit) return failed > 0 ? ExitCode.failure : ExitCode.ok;

  const replaces = new Map(plan.modified.map((m) => [m.file.name, m.oldArchive]));
  const uploads = [...plan.new, ...plan.modified.map((m) => m.file)].sort((a, b) => (a.name < b.name ? -1 : 1));
  const superseded: string[] = [];
  const result = await uploadFiles(deps, uploads, {
    vault: options.vault,
    concurrency: options.concurrency,
    json: false,
    // "modified files uploaded and only then their old archive" superseded: from this journal
    // record on, the old archive is no file's current version, whatever happens to this run.
    onUploaded: async (file) => {
      const old = replaces.get(file.name);
      if (!old) return;
      await cache.markSuperseded(options.vault, [old.id]);
      superseded.push(old.id);
    },
  });
  failed += result.failed.length;
  const oldIds = new Set(plan.modified.map((m) => m.oldArchive.id));
  const others = plan.supersede.filter((a) => !oldIds.has(a.id));
  await cache.markSuperseded(
    options.vault,
    others.map((a) => a.id),
  );
  superseded.push(...others.map((a) => a.id));
  const tree = { root, snapshot: { files: walk.entries, nodes: walk.nodes } };
  if (options.manifest) {
    if (failed > 0)
      deps.output.warn(
        `no manifest written: this run had ${plural(failed, "problem")}, so the tree in the vault is not one ` +
          `consistent snapshot`,
      );
    else {
      const name = await writeManifest(deps, options.vault, options.prefix, tree);
      await cache.markSuperseded(options.vault, superseded, name);
      deps.output.info(`manifest ${name} records this snapshot`);
    }
  } else if (failed === 0) await recordTree(deps, options.vault, options.prefix, tree);
  // Old versions go last, after the manifest that no longer needs them: those past retention, and
  // with --keep-versions 0 this run's own (a replacement that failed to upload supersedes nothing).
  const planned = new Set(plan.supersede.map((a) => a.id));
  const marked = new Set(superseded);
  const deletion = await deleteOldVersions(
    deps,
    options.vault,
    plan.deleteNow.filter((a) => !planned.has(a.id) || marked.has(a.id)),
  );
  failed += deletion.failed;
  const kept = plan.cost.keptVersions;
  deps.output.info(
    `reconciled: ${result.uploaded} uploaded, ${plural(superseded.length, "old version")} superseded, ` +
      `${deletion.deleted} deleted, ${kept} kept${failed > 0 ? `, ${plural(failed, "problem")}` : ""}`,
  );
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

/** "Everything new, everything missing" while the files are archives under another prefix: stop. */
function refuseWrongPrefix(plan: ReconcilePlan<LocalFile>, local: readonly string[]): void {
  const { counts } = plan;
  if (counts.new === 0 || counts.removed === 0 || counts.unchanged + counts.modified + counts.unverified > 0) return;
  const prefix = guessPrefix(
    local,
    plan.removed.map((r) => r.archive.name ?? ""),
  );
  if (prefix === undefined) return;
  throw new UsageError(
    `every file looks new and every archive missing, but the archives of this folder are under '${prefix}': ` +
      `run again with --prefix '${prefix}' (or --prefix '' to compare as it is)`,
  );
}

/** Refuses --delete-removed on a source that proves nothing (core/delete-guard.ts), before any hashing. */
function guardRemoval(
  options: ReconcileCommandOptions,
  root: string,
  walk: { entries: readonly { name: string }[]; problems: readonly unknown[] },
  cached: readonly CachedArchive[],
): void {
  // A source that could not be read in full proves nothing about which files are gone.
  if (walk.problems.length > 0)
    throw new ConsoleError(`${root} could not be read in full: refusing to remove paths with --delete-removed`);
  const live = liveArchives(cached, options.prefix).newest;
  const local = new Set(walk.entries.map((e) => e.name));
  const refusal = deleteGuard({
    dir: root,
    prefix: options.prefix,
    localFiles: walk.entries.length,
    livePaths: live.size,
    removedPaths: [...live.keys()].filter((name) => !local.has(name)).length,
    ...(options.maxDelete === undefined ? {} : { maxDelete: options.maxDelete }),
  });
  if (refusal) throw new ConsoleError(refusal);
}

function say(deps: Deps, messages: readonly PlanMessage[]): void {
  for (const m of messages) {
    if (m.level === "info") deps.output.info(m.text);
    else deps.output.warn(m.text);
  }
}
