// `glacier vault prune [--prefix P] [--keep-versions DAYS] [--dry-run] VAULT`: deletes the superseded
// archives (old versions of replaced or removed files, docs/retention.md) whose retention has ended:
// their minimum storage period since upload has passed, so no early-deletion fee is charged. Never
// an archive that is a file's current version, nor one the latest manifest covering it may list.
import { normalizePrefix } from "../core/archive-prefix.ts";
import { ExitCode } from "../core/errors.ts";
import { formatBytes, plural } from "../core/human-units.ts";
import { printableName } from "../core/reconcile-format.ts";
import { retentionClass } from "../core/cost-model.ts";
import { minimumStorageDays, planPrune } from "../core/retention.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { lockVault } from "../services/vault-lock.ts";
import { deleteOldVersions, keepVersionsFlag } from "./shared/old-versions.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface PruneOptions {
  vault: string;
  prefix: string;
  dryRun: boolean;
  keepVersions?: number;
}

export function parse(raw: Invocation<typeof specs.vaultPrune>): PruneOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const keep = keepVersionsFlag(raw.flags.keepVersions);
  return {
    vault,
    prefix: normalizePrefix(raw.flags.prefix),
    dryRun: raw.flags.dryRun,
    ...(keep === undefined ? {} : { keepVersions: keep }),
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function run(options: PruneOptions, deps: Deps): Promise<ExitCode> {
  const [cache, settings] = await Promise.all([deps.cache(), deps.settings()]);
  const unlock = options.dryRun ? undefined : await lockVault(cache.dir, settings, options.vault);
  try {
    const cached = (await cache.list(options.vault)).filter((a) => a.deletedHere === null);
    const storageClass = retentionClass((await deps.glacier()).capabilities(options.vault).pricing);
    const policy = {
      storageClass,
      ...(options.keepVersions === undefined ? {} : { keepVersionsDays: options.keepVersions }),
    };
    const plan = planPrune(cached, options.prefix, deps.clock.now(), policy);
    for (const a of plan.deleteNow)
      deps.output.info(
        `${options.dryRun ? "would delete" : "deleting"} old version ${printableName(a.name ?? "")} (` +
          `${formatBytes(a.size ?? 0)})`,
      );
    const times = plan.kept.map((k) => k.until).filter((t): t is number => t !== null);
    const first = times.length > 0 ? ` (the first may go on ${day(Math.min(...times))})` : "";
    const unknown = plan.kept.length - times.length;
    if (plan.kept.length > 0) {
      deps.output.info(
        `${plural(plan.kept.length, "old version")} kept: within ${minimumStorageDays(storageClass)} days of upload` +
          `${options.keepVersions ? ` or ${options.keepVersions} of replacement` : ""}${first}` +
          (unknown > 0 ? `; ${unknown} of unknown age (vault sync learns it)` : ""),
      );
    }
    if (plan.heldByManifest.length > 0) {
      deps.output.warn(
        `${plural(plan.heldByManifest.length, "old version")} past retention kept: the latest manifest may ` +
          `list them (the next reconcile --commit --manifest lets them go)`,
      );
    }
    if (options.dryRun) {
      deps.output.info(
        `dry run: ${plural(plan.deleteNow.length, "old version")} would be deleted; nothing was changed`,
      );
      return ExitCode.ok;
    }
    const outcome = await deleteOldVersions(deps, options.vault, plan.deleteNow);
    deps.output.info(
      `pruned: ${plural(outcome.deleted, "old version")} deleted, ` +
        `${plan.kept.length + plan.heldByManifest.length} kept`,
    );
    return outcome.failed > 0 ? ExitCode.failure : ExitCode.ok;
  } finally {
    unlock?.();
  }
}
