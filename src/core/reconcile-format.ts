// What `vault reconcile` prints: counts, bytes, request count and estimated cost; without --commit
// nothing changes and the last line says how to apply. The
// messages go to stderr through Output.info / Output.warn, which add "glacier: info: ".
import { formatBytes, formatUsd, plural } from "./human-units.ts";
import { keptUntil, type LocalFile, type ReconcilePlan } from "./reconcile-plan.ts";
import { minimumStorageDays } from "./retention.ts";

export interface PlanMessage {
  level: "info" | "warning";
  text: string;
}

/** Without --commit and with changes, `info use --commit to perform these changes` (docs/compatibility.md). */
export const APPLY_HINT = "use --commit to perform these changes";

const info = (text: string): PlanMessage => ({ level: "info", text });
const warning = (text: string): PlanMessage => ({ level: "warning", text });

/** A name with control characters is quoted, so one name is always one line. */
export function printableName(name: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is this expression's purpose
  return /[\x00-\x1f\x7f]/.test(name) ? JSON.stringify(name) : name;
}

const sum = (sizes: readonly (number | null)[]): number => sizes.reduce<number>((a, b) => a + (b ?? 0), 0);

export function formatReconcilePlan<F extends LocalFile>(
  plan: ReconcilePlan<F>,
  options: { commit: boolean; vault: string },
): PlanMessage[] {
  const out: PlanMessage[] = [];
  const deleting = plan.deleteRemoved ? plan.removed.length : 0;
  const changes = plan.new.length + plan.modified.length + deleting + plan.supersede.length + plan.deleteNow.length;
  const immediate = plan.retention.keepVersionsDays === 0;
  if (changes === 0) {
    out.push(info(`Nothing to do: ${plural(plan.counts.unchanged, "file")} unchanged`));
  } else {
    out.push(info(options.commit ? "Reconciling:" : "Reconciliation plan:"));
    out.push(info(`  new: ${plural(plan.new.length, "file")}, ${formatBytes(sum(plan.new.map((f) => f.size)))}`));
    const replaced =
      plan.modified.length === 0
        ? ""
        : plan.overwritten.length > 0
          ? "; each upload overwrites the old object (the bucket keeps no versions)"
          : immediate
            ? "; each old archive is deleted after its replacement is uploaded"
            : "; each old version is kept after its replacement is uploaded";
    out.push(
      info(
        `  modified: ${plural(plan.modified.length, "file")}, ` +
          `${formatBytes(sum(plan.modified.map((m) => m.file.size)))}${replaced}`,
      ),
    );
    out.push(info(`  unchanged: ${plural(plan.counts.unchanged, "file")}`));
    if (plan.deleteRemoved) {
      out.push(
        info(
          `  removed: ${plural(plan.removed.length, "archive")}, ` +
            `${formatBytes(sum(plan.removed.map((r) => r.archive.size)))}; ` +
            (immediate ? "deleted" : "kept as old versions"),
        ),
      );
    }
    out.push(info(versionsLine(plan)));
    out.push(
      info(
        `Upload: ${plural(plan.new.length + plan.modified.length, "file")}, ${formatBytes(plan.uploadBytes)}` +
          `, ${plural(plan.requests.upload, "request")}; delete: ${plural(plan.requests.delete, "archive")}`,
      ),
    );
    out.push(info(costLine(plan)));
    if (plan.smallObjectWarning !== undefined) out.push(warning(plan.smallObjectWarning));
    if (plan.overwritten.length > 0) out.push(warning(overwriteWarning(plan)));
  }
  if (!plan.deleteRemoved && plan.removed.length > 0) {
    out.push(
      warning(
        `${plural(plan.removed.length, "archive")} in the cache but not on disk, kept (--delete-removed deletes them)`,
      ),
    );
  }
  if (plan.unverified.length > 0) {
    out.push(
      warning(
        `${plural(plan.unverified.length, "file")} not compared: the cache has no usable tree hash for ` +
          `${plan.unverified.length === 1 ? "its archive" : "their archives"}; run \`glacier vault sync --fix ` +
          `${options.vault}\` to learn the real ones`,
      ),
    );
  }
  if (plan.duplicates.length > 0) {
    out.push(
      warning(
        `${plural(plan.duplicates.length, "name")} with several live archives: the newest of each was ` +
          `compared, the older ones are old versions now`,
      ),
    );
  }
  if (plan.heldByManifest.length > 0) {
    out.push(
      warning(
        `${plural(plan.heldByManifest.length, "old version")} past retention kept: the latest manifest may ` +
          `list them (the next --commit --manifest lets them go)`,
      ),
    );
  }
  if (!options.commit && changes > 0) out.push(info(APPLY_HINT));
  return out;
}

function costLine<F extends LocalFile>(plan: ReconcilePlan<F>): string {
  const { cost, costs } = plan;
  const at = costs.label;
  const parts = [`upload requests ${formatUsd(cost.uploadRequests)}`];
  if (cost.earlyDeletionArchives > 0) {
    parts.push(
      `early deletion of ${plural(cost.earlyDeletionArchives, "archive")} younger than ` +
        `${String(costs.minimumStorageDays)} days ${formatUsd(cost.earlyDeletion)}`,
    );
  }
  if (cost.unknownAgeArchives > 0) {
    parts.push(`${plural(cost.unknownAgeArchives, "archive")} of unknown age not counted`);
  }
  const keeping =
    cost.keptVersions > 0
      ? `; keeping the old versions past their minimum period would cost ${formatUsd(cost.keepingPerMonth)} per month`
      : "";
  return (
    `Estimated cost at ${at}: ${formatUsd(cost.oneOff)} now (${parts.join(", ")}), then ` +
    `${formatUsd(cost.storagePerMonth)} per month for the new storage${keeping}`
  );
}

/** An unversioned bucket loses the old versions and pays their early deletion (docs/retention.md#s3-buckets). */
function overwriteWarning<F extends LocalFile>(plan: ReconcilePlan<F>): string {
  const { costs } = plan;
  return (
    `${plural(plan.overwritten.length, "changed file")} ` +
    `${plan.overwritten.length === 1 ? "overwrites its object" : "overwrite their objects"}: ` +
    `the bucket keeps no versions, so the old ` +
    `versions are lost and those younger than ${String(costs.minimumStorageDays)} days pay the early-deletion fee ` +
    `(${formatUsd(plan.cost.overwriteFee)}); turn versioning on to keep them at no extra cost`
  );
}

/** Old versions (docs/retention.md): how many this run keeps, until when, and how many it deletes. */
function versionsLine<F extends LocalFile>(plan: ReconcilePlan<F>): string {
  const kept = plan.kept.length + plan.heldByManifest.length;
  const first = keptUntil(plan);
  const days = minimumStorageDays(plan.retention.storageClass);
  const policy =
    plan.retention.keepVersionsDays === undefined
      ? `until ${days} days after upload`
      : `at least ${plural(plan.retention.keepVersionsDays, "day")} after replacement and ${days} after upload`;
  const keptText =
    kept === 0
      ? "none kept"
      : `${kept} kept, ${formatBytes(plan.cost.keptBytes)}, ${policy}` +
        (first === null ? "" : ` (the first may go on ${new Date(first).toISOString().slice(0, 10)})`);
  const fee =
    plan.cost.earlyDeletionArchives > 0
      ? "with early-deletion fee"
      : plan.cost.unknownAgeArchives > 0
        ? "age unknown"
        : "no early-deletion fee";
  const now =
    plan.deleteNow.length === 0
      ? "none deleted now"
      : `${plan.deleteNow.length} deleted now, ${formatBytes(sum(plan.deleteNow.map((a) => a.size)))} (${fee})`;
  return `  old versions: ${keptText}; ${now}`;
}

/** One line per change, for --dry-run and --verbose listings: "new bands/0", "modified bands/1", ... */
export function formatReconcileChanges<F extends LocalFile>(plan: ReconcilePlan<F>): PlanMessage[] {
  return [
    ...plan.new.map((f) => info(`new ${printableName(f.name)}`)),
    ...plan.modified.map((m) => info(`modified ${printableName(m.file.name)}`)),
    ...plan.removed.map((r) =>
      info(`${plan.deleteRemoved ? "removed" : "not on disk"} ${printableName(r.archive.name ?? "")}`),
    ),
    ...plan.deleteNow.map((a) => info(`delete old version ${printableName(a.name ?? "")} (${a.id.slice(0, 12)}...)`)),
    ...plan.unverified.map((u) =>
      warning(
        `unverified ${printableName(u.file.name)} (` +
          `${u.reason === "no-hash" ? "no cached tree hash" : "cached tree hash is the empty-input hash"})`,
      ),
    ),
    ...plan.duplicates.map((d) =>
      warning(`duplicate ${printableName(d.name)} (${plural(d.older.length + 1, "live archive")})`),
    ),
  ];
}
