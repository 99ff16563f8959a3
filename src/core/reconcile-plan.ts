// `vault reconcile` as a plan (docs/compatibility.md#fork-commands): a pure function of the local
// tree and the cache. The fork's flaws fixed here:
// - files are keyed by their path under DIR (and prefix), not by basename, so nothing collides;
// - several live archives with one name are not an error: the newest wins, the older ones are listed;
// - a cached row without a hash (original glacier-cli), or with the fork's empty-input hash for a
//   non-empty file (docs/compatibility.md#fork-commands "Bug"), proves nothing: such files are "unverified" (the
//   formatter suggests `vault sync --fix`) instead of being uploaded again;
// - the applier uploads a modified file first and supersedes its old archive only then;
// - replaced and removed versions are superseded, not deleted: they are kept until their minimum
//   storage period ends (docs/retention.md), then deleted by a later run; --keep-versions 0 deletes
//   them at once, early-deletion fee included in the estimate.
import type { ArchivePrefix } from "./archive-prefix.ts";
import { ConsoleError } from "./errors.ts";
import { type CostModel, vaultCostModel } from "./cost-model.ts";
import { byName, liveArchives, uploadedAt } from "./live-archives.ts";
import type { ResolvedPrices } from "./prices.ts";
import { planPrune, type PruneItem, type RetentionPolicy } from "./retention.ts";
import type { CachedArchive } from "./types.ts";

/** "An empty input hashes to SHA-256 of nothing" (docs/compatibility.md#fork-commands). */
export const EMPTY_TREE_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface LocalFile {
  /** The archive name: the path relative to DIR with `/` separators, under the prefix. */
  name: string;
  size: number;
  /** Lower-case hex; null when not hashed because --trust-mtime found it unchanged since it was. */
  treeHash: string | null;
  mtimeMs: number;
}

export interface ReconcileOptions {
  deleteRemoved: boolean;
  prefix: ArchivePrefix;
  /** --part-size, when given; otherwise chosen per file as the upload engine does. */
  partSize?: number;
  /** --keep-versions; default: superseded versions kept until their minimum storage period ends. */
  retention?: RetentionPolicy;
}

/** The prices of the plan: a vault's (`prices`), or the backend's cost model (an S3 storage class). */
export type ReconcilePricing = { prices: ResolvedPrices; costs?: undefined } | { prices?: undefined; costs: CostModel };

export interface ReconcileInputBase<F extends LocalFile> {
  local: readonly F[];
  /** Cached archives of the vault (superseded ones with their record); deleted rows are ignored. */
  cached: readonly CachedArchive[];
  options: ReconcileOptions;
  now: number;
  /**
   * The backend replaces an object in place when a changed file is uploaded under its name (an S3
   * bucket without versioning): the old version cannot be kept, and its early deletion is paid.
   */
  overwritesInPlace?: boolean;
}

export type ReconcileInput<F extends LocalFile> = ReconcileInputBase<F> & ReconcilePricing;

export interface CostEstimate {
  uploadRequests: number;
  /** Per month, for the uploaded bytes and the 32 KB overhead of each new archive. */
  storagePerMonth: number;
  earlyDeletion: number;
  /** Deleted archives younger than 90 days, which are charged. */
  earlyDeletionArchives: number;
  /** The part of earlyDeletion paid for old versions overwritten in place (unversioned bucket). */
  overwriteFee: number;
  /** Deleted archives whose upload time or size is unknown, left out of earlyDeletion. */
  unknownAgeArchives: number;
  /** What applying the plan costs at once: upload requests + early deletion. */
  oneOff: number;
  /**
   * Superseded versions kept after this run, their bytes, and a month of their storage once past their
   * minimum period.
   */
  keptVersions: number;
  keptBytes: number;
  keepingPerMonth: number;
}

export interface ReconcilePlan<F extends LocalFile> {
  new: F[];
  modified: { file: F; oldArchive: CachedArchive }[];
  unchanged: { file: F; archive: CachedArchive }[];
  /** The cached hash cannot tell: none recorded, or the fork's empty-input hash. Nothing is done. */
  unverified: { file: F; archive: CachedArchive; reason: "no-hash" | "empty-input-hash" }[];
  /** Live archives with no local file; deleted only with --delete-removed. */
  removed: { archive: CachedArchive }[];
  /** Names with several live archives: the newest is compared, the older ones are left alone. */
  duplicates: { name: string; newest: CachedArchive; older: CachedArchive[] }[];
  deleteRemoved: boolean;
  /**
   * Archives this run marks superseded: each modified file's old archive, older duplicates, and with
   * --delete-removed every live archive of a removed path.
   */
  supersede: CachedArchive[];
  /** Archives this run deletes: superseded versions past their retention (all of them with --keep-versions 0). */
  deleteNow: CachedArchive[];
  /** Superseded versions kept, with the time they may go. */
  kept: PruneItem[];
  /** Past retention, but the latest manifest covering them may list them: kept until a newer manifest. */
  heldByManifest: CachedArchive[];
  retention: RetentionPolicy;
  counts: { new: number; modified: number; unchanged: number; unverified: number; removed: number; duplicates: number };
  uploadBytes: number;
  /** Upload requests are billed; DeleteArchive requests are not. */
  requests: { upload: number; delete: number };
  cost: CostEstimate;
  costs: CostModel;
  /** Set when small uploads make the per-object overhead dominate their storage cost. */
  smallObjectWarning?: string;
  /** Old versions that uploading a changed file overwrites in place (unversioned bucket): gone, fee paid. */
  overwritten: CachedArchive[];
}

export function planReconcile<F extends LocalFile>(input: ReconcileInput<F>): ReconcilePlan<F> {
  const { options, now } = input;
  const costs = input.costs ?? vaultCostModel(input.prices);
  // Replaced versions are kept by the minimum duration of the class they are stored in.
  const retention: RetentionPolicy = {
    ...options.retention,
    storageClass: options.retention?.storageClass ?? costs.storageClass,
  };
  const current = input.cached.filter((a) => a.deletedHere === null);
  const { newest: live, duplicates } = liveArchives(current, options.prefix);

  const plan: ReconcilePlan<F> = {
    new: [],
    modified: [],
    unchanged: [],
    unverified: [],
    removed: [],
    duplicates,
    deleteRemoved: options.deleteRemoved,
    supersede: [],
    deleteNow: [],
    kept: [],
    heldByManifest: [],
    retention,
    counts: { new: 0, modified: 0, unchanged: 0, unverified: 0, removed: 0, duplicates: duplicates.length },
    uploadBytes: 0,
    requests: { upload: 0, delete: 0 },
    cost: {
      uploadRequests: 0,
      storagePerMonth: 0,
      earlyDeletion: 0,
      earlyDeletionArchives: 0,
      overwriteFee: 0,
      unknownAgeArchives: 0,
      oneOff: 0,
      keptVersions: 0,
      keptBytes: 0,
      keepingPerMonth: 0,
    },
    costs,
    overwritten: [],
  };
  const seen = new Map<string, F>();
  for (const file of [...input.local].sort((a, b) => byName(a.name, b.name))) {
    if (seen.has(file.name)) throw new ConsoleError(`two local files have the archive name ${file.name}`);
    seen.set(file.name, file);
    const archive = live.get(file.name);
    if (!archive) plan.new.push(file);
    else if (archive.size !== null && archive.size !== file.size) plan.modified.push({ file, oldArchive: archive });
    else if (file.treeHash === null || file.treeHash === archive.treeHash) plan.unchanged.push({ file, archive });
    else if (archive.treeHash === null) plan.unverified.push({ file, archive, reason: "no-hash" });
    else if (archive.treeHash === EMPTY_TREE_HASH && file.size > 0)
      plan.unverified.push({ file, archive, reason: "empty-input-hash" });
    else plan.modified.push({ file, oldArchive: archive });
  }
  for (const [name, archive] of live) if (!seen.has(name)) plan.removed.push({ archive });

  // Older duplicates are no file's current version (the newest wins): a replacement recorded just
  // before a kill, or a failed deletion, leaves them. A removed path supersedes every live archive of it.
  const removedNames = new Set(options.deleteRemoved ? plan.removed.map((r) => r.archive.name) : []);
  if (input.overwritesInPlace === true) plan.overwritten = plan.modified.map((m) => m.oldArchive);
  plan.supersede = [
    ...(input.overwritesInPlace === true ? [] : plan.modified.map((m) => m.oldArchive)),
    ...plan.removed.filter((r) => removedNames.has(r.archive.name)).map((r) => r.archive),
    ...duplicates.flatMap((d) => d.older),
  ];
  const superseding = new Set(plan.supersede.map((a) => a.id));
  const marked = current.map((a) => (superseding.has(a.id) ? { ...a, superseded: { at: now, manifest: null } } : a));
  const prune = planPrune(marked, options.prefix, now, retention);
  plan.deleteNow = prune.deleteNow;
  plan.kept = prune.kept;
  plan.heldByManifest = prune.heldByManifest;

  const uploads = [...plan.new, ...plan.modified.map((m) => m.file)];
  for (const file of uploads) {
    plan.uploadBytes += file.size;
    plan.requests.upload += costs.uploadRequests(file.size, options.partSize);
  }
  plan.requests.delete = plan.deleteNow.length;
  const cost = plan.cost;
  cost.uploadRequests = costs.uploadRequestCost(plan.requests.upload);
  cost.storagePerMonth = costs.monthlyStorage(uploads.map((f) => f.size));
  const warning = costs.smallObjectWarning(plan.uploadBytes, uploads.length);
  if (warning !== undefined) plan.smallObjectWarning = warning;
  const overwritten = new Set(plan.overwritten);
  for (const archive of [...plan.overwritten, ...plan.deleteNow]) {
    const at = uploadedAt(archive);
    if (at === null || archive.size === null) {
      cost.unknownAgeArchives++;
      continue;
    }
    const fee = costs.earlyDeletionFee(archive.size, at, now);
    if (fee > 0) {
      cost.earlyDeletion += fee;
      if (overwritten.has(archive)) cost.overwriteFee += fee;
      cost.earlyDeletionArchives++;
    }
  }
  const keeping = [...plan.kept.map((k) => k.archive), ...plan.heldByManifest];
  cost.keptVersions = keeping.length;
  cost.keptBytes = keeping.reduce((sum, a) => sum + (a.size ?? 0), 0);
  cost.keepingPerMonth = costs.monthlyStorage(keeping.map((a) => a.size ?? 0));
  cost.oneOff = cost.uploadRequests + cost.earlyDeletion;
  plan.counts = {
    new: plan.new.length,
    modified: plan.modified.length,
    unchanged: plan.unchanged.length,
    unverified: plan.unverified.length,
    removed: plan.removed.length,
    duplicates: duplicates.length,
  };
  return plan;
}

/** The time each kept version may go, for the plan's listing (the earliest first). */
export function keptUntil(plan: { kept: readonly PruneItem[] }): number | null {
  const times = plan.kept.map((k) => k.until).filter((t): t is number => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
}
