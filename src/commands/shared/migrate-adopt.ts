// Adoption before a retrieval job (docs/migrate.md#committing): an archive about to be requested whose
// object already stands at its key with its tree hash and size (copied by another shard, another
// machine, or a run whose cache was lost) is recorded `verified` at once. A HeadObject costs a
// fraction of a cent per thousand; the retrieval job it saves costs the archive's bytes and hours.
import type { MigrationEntry, MigrationUpdate } from "../../cache/migration-ledger.ts";
import { findCopied } from "../../glacier/migrate-copy.ts";
import type { Deps } from "../deps.ts";
import { archiveFailure, type RunContext } from "./migrate-context.ts";

/** HeadObject requests in flight at once. */
const HEAD_CONCURRENCY = 8;

/** Adopts what it can of the entries; returns the ids adopted or failed (not to be requested now). */
export async function adoptBeforeRequest(
  deps: Deps,
  context: RunContext,
  entries: readonly MigrationEntry[],
): Promise<Set<string>> {
  const { port, cache, options, tally } = context;
  const queue = [...entries];
  const adopted: MigrationUpdate[] = [];
  const settled = new Set<string>();
  const worker = async () => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      const { treeHash, size } = entry;
      if (treeHash === null || size === null) continue;
      try {
        const name = entry.targetKey.slice(options.prefix.length);
        const found = await findCopied(port, { address: options.address, name }, { size, treeHash });
        if (!found) continue;
        adopted.push({
          archiveId: entry.archiveId,
          state: "verified",
          treeHash: found.treeHash,
          size: found.size,
          s3Checksum: found.s3Checksum,
        });
        settled.add(entry.archiveId);
      } catch (error) {
        tally.failed.add(entry.archiveId);
        settled.add(entry.archiveId);
        deps.output.warn(`${entry.targetKey}: not checked in S3: ${archiveFailure(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: HEAD_CONCURRENCY }, worker));
  if (adopted.length > 0) await cache.recordMigration(options.vault, adopted);
  tally.adopted += adopted.length;
  return settled;
}
