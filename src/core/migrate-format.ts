// What the plan of `glacier vault migrate` prints (docs/migrate.md#the-plan): on stdout one line per
// archive (key, size, archive id, placement; or one JSON object each with --json), on stderr the totals
// as `glacier: info:` lines, in the manner of `vault reconcile`'s plan.
import { formatBytes, formatUsd, plural } from "./human-units.ts";
import type { KeyedArchive } from "./migrate-keys.ts";
import type { MigratePlan } from "./migrate-plan.ts";
import type { PlanMessage } from "./reconcile-format.ts";

const info = (text: string): PlanMessage => ({ level: "info", text });
const warning = (text: string): PlanMessage => ({ level: "warning", text });

/** "KEY<TAB>SIZE<TAB>ARCHIVE ID<TAB>PLACEMENT": keys never hold control characters (migrate-keys.ts). */
export function planLine({ archive, key, placement }: KeyedArchive): string {
  return `${key}\t${archive.size ?? "?"}\t${archive.id}\t${placement}\n`;
}

export function planJsonLine({ archive, key, placement }: KeyedArchive): string {
  return `${JSON.stringify({
    key,
    size: archive.size,
    archiveId: archive.id,
    name: archive.name,
    treeHash: archive.treeHash,
    creationDate: archive.creationDate === null ? null : new Date(archive.creationDate).toISOString(),
    placement,
  })}\n`;
}

export function planTotals(plan: MigratePlan): Record<string, unknown> {
  const { costs, counts } = plan;
  return {
    archives: plan.items.length,
    vaultArchives: plan.vaultArchives,
    bytes: plan.bytes,
    unknownSize: plan.unknownSize,
    atName: counts.name,
    olderWithSuffix: counts.older,
    byId: counts["by-id"],
    storageClass: plan.options.storageClass,
    tier: plan.options.tier,
    retrievalCost: costs.retrieval,
    requestCount: costs.requestCount,
    requestCost: costs.requests,
    storageBeforePerMonth: costs.storageBeforePerMonth,
    storageAfterPerMonth: costs.storageAfterPerMonth,
    earlyDeletionArchives: costs.earlyDeletionArchives,
    earlyDeletionCost: costs.earlyDeletion,
    unknownAgeArchives: costs.unknownAgeArchives,
    days: plan.days,
    ...(plan.options.shard ? { shard: `${plan.options.shard.index}/${plan.options.shard.count}` } : {}),
  };
}

export function formatMigratePlan(plan: MigratePlan, target: { vault: string; url: string }): PlanMessage[] {
  const { costs, counts, options } = plan;
  const out: PlanMessage[] = [];
  out.push(info(`Migration plan: vault '${target.vault}' to ${target.url} (${options.storageClass})`));
  out.push(
    info(
      `  archives: ${plural(plan.items.length, "archive")}, ${formatBytes(plan.bytes)}; ` +
        `${counts.name} at their name, ${counts.older} older ${counts.older === 1 ? "version" : "versions"} ` +
        `of a name with a suffix, ${counts["by-id"]} by id`,
    ),
  );
  if (options.shard)
    out.push(
      info(
        `  shard ${options.shard.index}/${options.shard.count}: ` +
          `${plan.items.length} of the vault's ${plural(plan.vaultArchives, "archive")}`,
      ),
    );
  out.push(info(`  retrieval: ${options.tier}, ${plural(plan.items.length, "job")}, ${formatUsd(costs.retrieval)}`));
  out.push(
    info(
      `  requests: ${plural(costs.requestCount, "S3 request")} (uploads and a HeadObject each), ` +
        formatUsd(costs.requests),
    ),
  );
  out.push(
    info(
      `  storage per month: ${formatUsd(costs.storageBeforePerMonth)} in the vault, ` +
        `${formatUsd(costs.storageAfterPerMonth)} in ${options.storageClass}`,
    ),
  );
  const unknownAge =
    costs.unknownAgeArchives > 0 ? `; ${plural(costs.unknownAgeArchives, "archive")} of unknown age not counted` : "";
  out.push(
    info(
      `  early deletion if the vault's archives were deleted: ` +
        `${plural(costs.earlyDeletionArchives, "archive")} younger than 90 days, ` +
        `${formatUsd(costs.earlyDeletion)}${unknownAge}`,
    ),
  );
  out.push(info(`  duration: ${daysText(plan.days)} at ${paceText(plan)}`));
  const { vaultPrices: v, s3Prices: s } = plan;
  const region = (asOf: string, region: string, pricedAs: string) =>
    pricedAs === region ? `${region} prices of ${asOf}` : `${pricedAs} prices of ${asOf} (none listed for ${region})`;
  out.push(
    info(
      `Estimated at vault ${region(v.asOf, v.region, v.pricedAs)} and S3 ${region(s.asOf, s.region, s.pricedAs)}` +
        "; egress not included",
    ),
  );
  // Small archives: the per-object overhead (docs/migrate.md#the-plan) can make the class dearer than the vault.
  if (costs.storageAfterPerMonth > costs.storageBeforePerMonth && plan.items.length > 0)
    out.push(
      warning(
        `storage in ${options.storageClass} would cost more per month than in the vault: the average archive ` +
          `is ${formatBytes(Math.round(plan.bytes / plan.items.length))} and each object is billed its overhead`,
      ),
    );
  if (plan.unknownSize > 0)
    out.push(
      warning(
        `${plural(plan.unknownSize, "archive")} of unknown size counted as 0 bytes; ` +
          `\`glacier vault sync --fix ${target.vault}\` learns their sizes`,
      ),
    );
  return out;
}

function daysText(days: number): string {
  if (days === 0) return "nothing to retrieve";
  if (days < 1) return `about ${Math.ceil(days * 24)} hours`;
  return `about ${plural(Math.ceil(days), "day")}`;
}

function paceText(plan: MigratePlan): string {
  const jobs = `up to ${plural(plan.options.maxJobs, "job")} at a time (${plan.options.tier})`;
  return plan.options.maxBytesPerDay === undefined
    ? jobs
    : `${jobs} and ${formatBytes(plan.options.maxBytesPerDay)} a day`;
}
