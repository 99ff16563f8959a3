// `glacier vault reconcile [--commit] [--delete-removed] [--trust-mtime] [--prefix P] VAULT DIR`
// (the fork's command, docs/compatibility.md#fork-commands, done right): a plan first, a pure
// function of the local tree and the cache, printed as counts, bytes, requests and estimated cost;
// --commit uploads new and modified files and deletes a modified file's old archive only after its
// replacement is recorded; removed files are reported, and deleted with --delete-removed. Without
// --prefix, the prefix the folder was last backed up under is used, and a plan of "everything new,
// everything missing" whose archives sit under another prefix stops with a hint (docs/restore.md).
import { normalizePrefix } from "../core/archive-prefix.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { plural } from "../core/human-units.ts";
import { pricesFor } from "../core/prices.ts";
import { formatReconcileChanges, formatReconcilePlan, type PlanMessage } from "../core/reconcile-format.ts";
import { planReconcile, type LocalFile, type ReconcilePlan } from "../core/reconcile-plan.ts";
import { guessPrefix } from "../core/prefix-guess.ts";
import { TreeRecords } from "../runtime/tree-record.ts";
import { reportWalk } from "./shared/walk-report.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "../runtime/deps.ts";
import { HashState } from "../runtime/hash-state.ts";
import { loadPriceTable } from "../runtime/price-file.ts";
import { walkTrees } from "../runtime/tree-walk.ts";
import { positiveInt } from "./archive-upload.ts";
import { withoutEmptyFiles } from "./shared/empty-files.ts";
import { hashLocalFiles } from "./shared/local-hashes.ts";
import { recordTree, writeManifest } from "./shared/manifest-io.ts";
import { uploadFiles } from "./shared/tree-upload.ts";
import type { RawInvocation } from "./types.ts";

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
}

export function parse(raw: RawInvocation): ReconcileCommandOptions {
  const vault = raw.args[0] as string;
  assertVaultName(vault);
  return {
    vault,
    dir: raw.args[1] as string,
    commit: raw.flags.commit === true,
    deleteRemoved: raw.flags.deleteRemoved === true,
    trustMtime: raw.flags.trustMtime === true,
    verbose: raw.flags.verbose === true,
    prefix: normalizePrefix(raw.flags.prefix as string | undefined),
    exclude: (raw.flags.exclude as string[] | undefined) ?? [],
    prefixGiven: raw.flags.prefix !== undefined,
    followSymlinks: raw.flags.followSymlinks === true,
    concurrency: positiveInt(raw.flags.concurrency, "--concurrency", 4),
    manifest: raw.flags.manifest === true,
    ...(typeof raw.flags.prices === "string" ? { prices: raw.flags.prices } : {}),
  };
}

export async function run(options: ReconcileCommandOptions, deps: Deps): Promise<ExitCode> {
  const root = options.dir.startsWith("/") ? options.dir : `${deps.cwd}/${options.dir}`;
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  const remembered = options.prefixGiven ? undefined : TreeRecords.load(cache.dir, settings.region, options.vault).prefixOf(root);
  if (remembered) {
    deps.output.info(`using --prefix '${remembered}', under which ${root} was last backed up to vault '${options.vault}'`);
    options = { ...options, prefix: remembered };
  }
  const walk = await walkTrees([root], { prefix: options.prefix, exclude: options.exclude, followSymlinks: options.followSymlinks });
  reportWalk(deps, walk);
  const cached = await cache.list(options.vault, { includeDeleted: true });
  if (cached.length === 0) {
    deps.output.warn(`the cache knows no archive of vault '${options.vault}'; if it holds archives uploaded from elsewhere, run 'glacier vault sync ${options.vault}' first`);
  }
  const state = await HashState.load(cache.dir, settings.region, options.vault, root);
  const entries = withoutEmptyFiles(deps, walk.entries);
  if (!options.trustMtime) deps.output.info(`computing tree hashes of ${plural(entries.length, "file")}`);
  const hashed = await hashLocalFiles(deps, entries, state, options.trustMtime);
  for (const problem of hashed.problems) deps.output.error(`${problem.path}: ${problem.reason}`);
  state.save(new Set(hashed.files.map((f) => f.name)));

  const prices = pricesFor(await loadPriceTable(options.prices ?? deps.env.GLACIER_PRICES), settings.region);
  const plan = planReconcile({
    local: hashed.files,
    cached: cached.filter((a) => a.deletedHere === null),
    options: { deleteRemoved: options.deleteRemoved, prefix: options.prefix },
    now: deps.clock.now(),
    prices,
  });
  if (!options.prefixGiven && remembered === undefined) refuseWrongPrefix(plan, walk.entries.map((e) => e.name));
  if (options.verbose || !options.commit) say(deps, formatReconcileChanges(plan));
  say(deps, formatReconcilePlan(plan, { commit: options.commit, vault: options.vault }));
  let failed = walk.problems.length + hashed.problems.length;
  if (!options.commit) return failed > 0 ? ExitCode.failure : ExitCode.ok;

  const glacier = await deps.glacier();
  const replaces = new Map(plan.modified.map((m) => [m.file.name, m.oldArchive]));
  const uploads = [...plan.new, ...plan.modified.map((m) => m.file)].sort((a, b) => (a.name < b.name ? -1 : 1));
  const result = await uploadFiles(deps, uploads, {
    vault: options.vault,
    concurrency: options.concurrency,
    json: false,
    // "modified files uploaded and only then their old archive deleted"
    onUploaded: async (file) => {
      const old = replaces.get(file.name);
      if (!old) return;
      await glacier.deleteArchive(options.vault, old.id);
      await cache.markDeleted(options.vault, old.id);
    },
  });
  failed += result.failed.length;
  let deleted = plan.modified.length - result.failed.filter((f) => replaces.has(f.file.name)).length;
  if (options.deleteRemoved) {
    for (const { archive } of plan.removed) {
      await glacier.deleteArchive(options.vault, archive.id);
      await cache.markDeleted(options.vault, archive.id);
      deleted++;
    }
  }
  const tree = { root, snapshot: { files: walk.entries, nodes: walk.nodes } };
  if (options.manifest) {
    if (failed > 0) deps.output.warn(`no manifest written: this run had ${plural(failed, "problem")}, so the tree in the vault is not one consistent snapshot`);
    else deps.output.info(`manifest ${await writeManifest(deps, options.vault, options.prefix, tree)} records this snapshot`);
  } else if (failed === 0) await recordTree(deps, options.vault, options.prefix, tree);
  deps.output.info(`reconciled: ${result.uploaded} uploaded, ${plural(deleted, "old archive")} deleted${failed > 0 ? `, ${plural(failed, "problem")}` : ""}`);
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

/** "Everything new, everything missing" while the files are archives under another prefix: stop. */
function refuseWrongPrefix(plan: ReconcilePlan<LocalFile>, local: readonly string[]): void {
  const { counts } = plan;
  if (counts.new === 0 || counts.removed === 0 || counts.unchanged + counts.modified + counts.unverified > 0) return;
  const prefix = guessPrefix(local, plan.removed.map((r) => r.archive.name ?? ""));
  if (prefix === undefined) return;
  throw new UsageError(`every file looks new and every archive missing, but the archives of this folder are under '${prefix}': run again with --prefix '${prefix}' (or --prefix '' to compare as it is)`);
}

function say(deps: Deps, messages: readonly PlanMessage[]): void {
  for (const m of messages) (m.level === "info" ? deps.output.info : deps.output.warn)(m.text);
}
