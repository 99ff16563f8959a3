// Deleting superseded archives (docs/retention.md), shared by `vault reconcile` and `vault prune`.
// Each is marked deleted in the cache right after Glacier confirms; one that fails stays superseded
// in the cache, so the next reconcile or prune tries it again (it is never a file's current version).
import { GlacierCliError, ServiceError, UsageError, VaultNotFoundError } from "../../core/errors.ts";
import { plural } from "../../core/human-units.ts";
import { printableName } from "../../core/reconcile-format.ts";
import type { CachedArchive } from "../../core/types.ts";
import type { Deps } from "../deps.ts";

export interface DeleteOutcome {
  deleted: number;
  failed: number;
}

export async function deleteOldVersions(
  deps: Deps,
  vault: string,
  archives: readonly CachedArchive[],
): Promise<DeleteOutcome> {
  const outcome: DeleteOutcome = { deleted: 0, failed: 0 };
  if (archives.length === 0) return outcome;
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  for (const archive of archives) {
    try {
      await glacier.deleteArchive(vault, archive.id);
    } catch (error) {
      // Deleted already (a run killed between DeleteArchive and the cache write): record it.
      const gone =
        error instanceof ServiceError &&
        error.code === "ResourceNotFoundException" &&
        !(error instanceof VaultNotFoundError);
      if (!gone) {
        if (!(error instanceof GlacierCliError)) throw error;
        outcome.failed++;
        deps.output.error(
          `${printableName(archive.name ?? archive.id)}: old version not deleted: ${error.message}; it stays ` +
            `superseded and the next reconcile or vault prune tries again`,
        );
        continue;
      }
    }
    await cache.markDeleted(vault, archive.id);
    outcome.deleted++;
  }
  if (outcome.failed > 0) deps.output.warn(`${plural(outcome.failed, "old version")} not deleted this time`);
  return outcome;
}

/** --keep-versions DAYS: a whole number of days, 0 for immediate deletion. */
export function keepVersionsFlag(value: string | undefined): number | undefined {
  return wholeNumberFlag(value, "--keep-versions");
}

export function wholeNumberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag}: expected a whole number >= 0, got ${JSON.stringify(value)}`);
  }
  return n;
}
