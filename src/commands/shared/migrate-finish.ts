// The end of a committed migration run (docs/migrate.md#committing): the report written from the
// ledger, then one outcome: exit 0 with a summary once every archive of the shard is verified (the
// report then uploaded next to the objects), exit 1 when some copy failed, else exit 75 with what
// is pending and when to come back.
import type { MigrationEntry } from "../../cache/migration-ledger.ts";
import { ConsoleError, PendingError } from "../../core/errors.ts";
import { formatBytes, plural } from "../../core/human-units.ts";
import type { Step } from "../../core/migrate-step.ts";
import { inShard } from "../../core/shard.ts";
import type { Deps } from "../deps.ts";
import { TYPICAL_MS } from "./job-eta.ts";
import type { RunContext } from "./migrate-context.ts";
import { reportNames, reportPaths, reportText, uploadReport, writeReportFiles } from "./migrate-report-io.ts";

const DONE = new Set<MigrationEntry["state"]>(["verified", "deleted"]);

export async function finishRun(
  deps: Deps,
  context: RunContext,
  step: Step<MigrationEntry> | undefined,
): Promise<void> {
  const { port, cache, options, items, tally } = context;
  const { vault } = options;
  const ledger = (await cache.migrations(vault)).filter((e) => inShard(e.archiveId, options.shard));
  const archives = new Map((await cache.list(vault, { includeDeleted: true })).map((a) => [a.id, a]));
  const text = reportText(ledger, archives);
  const paths = reportPaths(options.report);
  await writeReportFiles(paths, text);

  const byId = new Map(ledger.map((e) => [e.archiveId, e]));
  const open = items.filter((item) => !DONE.has(byId.get(item.archiveId)?.state ?? "planned"));
  const done = ledger.filter((e) => DONE.has(e.state));
  if (tally.failed.size > 0)
    throw new ConsoleError(
      `${plural(tally.failed.size, "archive")} failed (see above); ${done.length} of ${ledger.length} migrated; ` +
        "run the same command again to retry",
    );
  if (open.length > 0) throw new PendingError(pendingLine(open.length, ledger, step, context));

  const names = reportNames(vault, options.shard);
  await uploadReport(port, options.address, names, text);
  const bytes = done.reduce((sum, e) => sum + (e.size ?? 0), 0);
  const url = `s3://${options.bucket}/${options.prefix}`;
  deps.output.info(
    `migrated vault '${vault}' to ${url}: ${plural(done.length, "archive")}, ${formatBytes(bytes)} ` +
      `(this run: ${tally.copied} copied, ${tally.adopted} found already there, ` +
      `${tally.deleted} source archives deleted)`,
  );
  deps.output.info(`report: ${paths.jsonl}, ${paths.csv}; ${url}${names.jsonl}, ${url}${names.csv}`);
  const kept = done.filter((e) => e.state === "verified").length;
  if (kept > 0 && !options.deleteSource)
    deps.output.info(
      `the vault still holds ${plural(kept, "migrated archive")}; ` +
        "--delete-source deletes them (each once its object is verified)",
    );
}

function pendingLine(
  open: number,
  ledger: readonly MigrationEntry[],
  step: Step<MigrationEntry> | undefined,
  context: RunContext,
): string {
  const { options } = context;
  const waiting = ledger.filter((e) => e.state === "requested");
  const parts: string[] = [];
  if (waiting.length > 0) {
    const latest = waiting.reduce((max, e) => Math.max(max, e.times.requested ?? 0), 0);
    const eta = new Date(latest + TYPICAL_MS[options.tier]).toISOString();
    parts.push(
      `${plural(waiting.length, "archive")} waiting for retrieval jobs (${options.tier}), expected ready by ${eta}`,
    );
  }
  const held = open - waiting.length;
  if (held > 0) {
    const when =
      step?.nextRequestAt !== undefined
        ? ` from ${new Date(step.nextRequestAt).toISOString()} (--max-bytes-per-day)`
        : waiting.length > 0
          ? " as jobs finish (--max-jobs)"
          : "";
    parts.push(`${plural(held, "archive")} to request${when}`);
  }
  const done = context.items.length - open;
  return `${parts.join("; ")}; ${done} of ${context.items.length} migrated; run the same command again then`;
}
