// --delete-source (docs/migrate.md#deleting-the-source): the vault archive of each verified object is
// deleted, marked deleted in the cache and recorded `deleted` in the ledger. The early-deletion fee
// of archives younger than 90 days is said once per run, before the first delete.
import type { MigrationEntry } from "../../cache/migration-ledger.ts";
import { ServiceError } from "../../core/errors.ts";
import { formatUsd, plural } from "../../core/human-units.ts";
import type { Deps } from "../deps.ts";
import { archiveFailure, type RunContext } from "./migrate-context.ts";

export async function deleteSources(
  deps: Deps,
  context: RunContext,
  entries: readonly MigrationEntry[],
): Promise<void> {
  const { port, cache, options, tally } = context;
  const { vault } = options;
  if (tally.deleted === 0) {
    const early = options.earlyDeletion(entries.map((e) => e.archiveId));
    if (early.archives > 0)
      deps.output.warn(
        `deleting ${plural(early.archives, "archive")} younger than 90 days from vault '${vault}': ` +
          `early-deletion fee about ${formatUsd(early.fee)}`,
      );
  }
  for (const entry of entries) {
    try {
      await port.deleteArchive(vault, entry.archiveId);
    } catch (error) {
      // Deleted by a run killed before it recorded so, or by hand: gone is what was asked.
      if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) {
        tally.failed.add(entry.archiveId);
        deps.output.warn(`${entry.targetKey}: source archive not deleted: ${archiveFailure(error)}`);
        continue;
      }
    }
    await cache.markDeleted(vault, entry.archiveId);
    await cache.recordMigration(vault, [{ archiveId: entry.archiveId, state: "deleted" }]);
    tally.deleted++;
  }
}
