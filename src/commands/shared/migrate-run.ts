// `vault migrate --commit` (docs/migrate.md#committing): rounds of the pure step (src/core/migrate-step.ts)
// applied through the port, each change recorded in the ledger before the next request, so a run
// killed at any point is continued by the next one. A round describes the ledger's jobs, adopts each
// archive about to be requested whose object is already in S3, requests what the pace allows, copies
// every archive whose job output is ready and, with --delete-source, deletes the source of each
// verified object. Rounds go on while they copy or adopt: on local:DIR and an emulator without job
// delays, one run goes all the way.
import type { ArchiveCache } from "../../cache/archive-cache.ts";
import type { MigrationEntry, MigrationUpdate } from "../../cache/migration-ledger.ts";
import { migrationStep, type Step, type StepItem } from "../../core/migrate-step.ts";
import { migrationTargets } from "../../core/migrate-targets.ts";
import type { KeyedArchive } from "../../core/migrate-keys.ts";
import type { BackendPort } from "../../backend/port.ts";
import type { Deps } from "../deps.ts";
import { adoptBeforeRequest } from "./migrate-adopt.ts";
import { copyReady } from "./migrate-copies.ts";
import type { CommitOptions, MigrateCopy, RunContext, RunTally } from "./migrate-context.ts";
import { describeJobs, usableJobsByArchive } from "./migrate-jobs.ts";
import { deleteSources } from "./migrate-delete.ts";
import { finishRun } from "./migrate-finish.ts";

/** Ledger rows recorded per journal record when a large vault is first planned. */
const RECORD_BATCH = 10_000;
/** Rounds in a row that copy nothing before the run stops (one more describes the jobs just requested). */
const IDLE_ROUNDS = 2;

export async function commitMigration(
  deps: Deps,
  options: CommitOptions,
  planned: readonly KeyedArchive[],
  copy: MigrateCopy,
): Promise<void> {
  const [port, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  const { vault } = options;
  const targets = migrationTargets(planned, await cache.migrations(vault), options.prefix);
  for (let i = 0; i < targets.fresh.length; i += RECORD_BATCH) {
    await cache.recordMigration(
      vault,
      targets.fresh.slice(i, i + RECORD_BATCH).map((item) => ({
        archiveId: item.archiveId,
        state: "planned",
        bucket: options.bucket,
        targetKey: item.key,
        size: item.size,
        treeHash: item.treeHash,
      })),
    );
  }
  await adoptRunningJobs(port, cache, vault, targets.items);
  const tally: RunTally = { copied: 0, adopted: 0, deleted: 0, failed: new Set() };
  const context: RunContext = { port, cache, options, items: targets.items, tally, copy };
  let step: Step<MigrationEntry> | undefined;
  for (let idle = 0; idle < IDLE_ROUNDS;) {
    const before = tally.copied + tally.adopted + tally.deleted;
    step = await round(deps, context);
    if (tally.copied + tally.adopted + tally.deleted > before) idle = 0;
    else if (step.request.length + step.rerequest.length > 0) idle++;
    else break;
  }
  await finishRun(deps, context, step);
}

async function round(deps: Deps, context: RunContext): Promise<Step<MigrationEntry>> {
  const { port, cache, options, items, tally } = context;
  const { vault } = options;
  const inPlan = new Set(items.map((item) => item.archiveId));
  const ledger = await cache.migrations(vault);
  const withJobs = ledger.filter(
    (e) => e.jobId !== null && inPlan.has(e.archiveId) && ["requested", "retrieved", "uploading"].includes(e.state),
  );
  const jobs = await describeJobs(
    port,
    vault,
    withJobs.map((e) => e.jobId ?? ""),
  );
  const step = migrationStep({
    items,
    entries: ledger,
    jobs,
    now: deps.clock.now(),
    maxJobs: options.maxJobs,
    ...(options.maxBytesPerDay !== undefined ? { maxBytesPerDay: options.maxBytesPerDay } : {}),
    deleteSource: options.deleteSource,
  });
  // An archive whose copy or delete failed in this run is not tried again before the next run.
  step.copy = step.copy.filter((c) => !tally.failed.has(c.entry.archiveId));
  step.delete = step.delete.filter((e) => !tally.failed.has(e.archiveId));
  if (step.retrieved.length > 0)
    await cache.recordMigration(
      vault,
      step.retrieved.map((e) => ({ archiveId: e.archiveId, state: "retrieved" })),
    );
  // Before a job is requested for an archive, a HeadObject: its object may be in S3 already.
  const settled = await adoptBeforeRequest(deps, context, step.request);
  step.request = step.request.filter((e) => !settled.has(e.archiveId));
  for (const entry of [...step.rerequest.map((r) => r.entry), ...step.request]) {
    const { jobId } = await port.initiateJob(vault, {
      type: "archive",
      archiveId: entry.archiveId,
      tier: options.tier,
    });
    await cache.recordMigration(vault, [{ archiveId: entry.archiveId, state: "requested", jobId }]);
  }
  await copyReady(deps, context, step.copy);
  if (step.delete.length > 0) await deleteSources(deps, context, step.delete);
  return step;
}

/**
 * Jobs already running for archives the ledger calls planned: a run killed after InitiateJob but
 * before recording it. One ListJobs, and only when there is something to request.
 */
async function adoptRunningJobs(
  port: BackendPort,
  cache: ArchiveCache,
  vault: string,
  items: readonly StepItem[],
): Promise<void> {
  const inPlan = new Set(items.map((item) => item.archiveId));
  const planned = (await cache.migrations(vault, "planned")).filter((e) => inPlan.has(e.archiveId));
  if (planned.length === 0) return;
  const running = await usableJobsByArchive(port, vault);
  const adopt: MigrationUpdate[] = [];
  for (const entry of planned) {
    const job = running.get(entry.archiveId);
    if (job) adopt.push({ archiveId: entry.archiveId, state: "requested", jobId: job.jobId });
  }
  if (adopt.length > 0) await cache.recordMigration(vault, adopt);
}
