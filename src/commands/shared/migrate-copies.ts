// The copies of one round of a committed migration (docs/migrate.md#committing): each archive whose
// job output is ready streams to its object, several at once within --concurrency parts in flight
// (an archive of k parts takes min(k, concurrency) of them, so memory stays within concurrency x
// part size). The ledger records `uploading` with the upload id before a part goes, `verified` after.
import type { MigrationEntry } from "../../cache/migration-ledger.ts";
import { ConsoleError } from "../../core/errors.ts";
import { MIGRATE_PART_SIZE, migratePartSize } from "../../core/migrate-plan.ts";
import type { JobDescription } from "../../core/types.ts";
import { BufferPool } from "../../glacier/buffer-pool.ts";
import type { Deps } from "../deps.ts";
import { archiveFailure, type RunContext } from "./migrate-context.ts";
import { Slots } from "./slots.ts";

export async function copyReady(
  deps: Deps,
  context: RunContext,
  copies: readonly { entry: MigrationEntry; job: JobDescription }[],
): Promise<void> {
  const { port, cache, options, tally } = context;
  const slots = new Slots(options.concurrency);
  // One buffer per slot, shared by all copies: an archive uses at most as many at once as its slots.
  const buffers = new BufferPool(options.concurrency, MIGRATE_PART_SIZE);
  await Promise.all(
    copies.map(({ entry, job }) => {
      const size = entry.size ?? job.archiveSize ?? 0;
      const weight = Math.max(1, Math.ceil(size / migratePartSize(size)));
      return slots.use(weight, async () => {
        try {
          const treeHash = entry.treeHash ?? job.archiveTreeHash;
          if (treeHash === undefined)
            throw new ConsoleError("its tree hash is unknown: neither the inventory nor the job gives it");
          const copied = await context.copy({
            port,
            clock: deps.clock,
            source: { vault: options.vault, jobId: job.jobId, archiveId: entry.archiveId, size, treeHash },
            target: { address: options.address, name: entry.targetKey.slice(options.prefix.length) },
            uploadId: entry.uploadId,
            onUploadStarted: async (uploadId) => {
              await cache.recordMigration(options.vault, [
                { archiveId: entry.archiveId, state: "uploading", uploadId },
              ]);
            },
            concurrency: Math.min(weight, options.concurrency),
            buffers,
          });
          await cache.recordMigration(options.vault, [
            {
              archiveId: entry.archiveId,
              state: "verified",
              treeHash: copied.treeHash,
              size: copied.size,
              s3Checksum: copied.s3Checksum,
            },
          ]);
          if (copied.adopted) tally.adopted++;
          else tally.copied++;
        } catch (error) {
          tally.failed.add(entry.archiveId);
          deps.output.warn(`${entry.targetKey}: not copied: ${archiveFailure(error)}`);
        }
      });
    }),
  );
  buffers.drain();
}
