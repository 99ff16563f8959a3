// The options of a committed migration from the command's (docs/migrate.md#committing): the report's
// default path, and the early-deletion fee of the archives --delete-source deletes, priced as the plan.
import { resolve } from "node:path";
import { earlyDeletionFee } from "../../core/cost.ts";
import { uploadedAt } from "../../core/live-archives.ts";
import type { MigratePlan } from "../../core/migrate-plan.ts";
import { DAY_MS, MINIMUM_STORAGE_DAYS } from "../../core/prices.ts";
import type { CommitOptions } from "./migrate-context.ts";

export interface CommitFlags {
  deleteSource: boolean;
  report?: string;
  concurrency: number;
}

export function commitOptions(
  command: { vault: string; target: { bucket: string; prefix: string } },
  flags: CommitFlags,
  plan: MigratePlan,
  where: { address: string; cwd: string; now: number },
): CommitOptions {
  const { address, now } = where;
  const archives = new Map(plan.items.map(({ archive }) => [archive.id, archive]));
  const { options } = plan;
  return {
    vault: command.vault,
    address,
    bucket: command.target.bucket,
    prefix: command.target.prefix,
    tier: options.tier,
    maxJobs: options.maxJobs,
    ...(options.maxBytesPerDay !== undefined ? { maxBytesPerDay: options.maxBytesPerDay } : {}),
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
    deleteSource: flags.deleteSource,
    concurrency: flags.concurrency,
    report: resolve(where.cwd, flags.report ?? `glacier-migrate-${command.vault}`),
    earlyDeletion: (ids) => {
      let count = 0;
      let fee = 0;
      for (const id of ids) {
        const archive = archives.get(id);
        const at = archive ? uploadedAt(archive) : null;
        if (archive === undefined || at === null || now - at >= MINIMUM_STORAGE_DAYS * DAY_MS) continue;
        count++;
        fee += earlyDeletionFee(archive.size ?? 0, at, now, plan.vaultPrices);
      }
      return { archives: count, fee };
    },
  };
}
