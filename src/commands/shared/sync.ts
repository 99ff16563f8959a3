// One inventory reconciliation (docs/cache.md#inventory-reconciliation) carried out: find or start the
// inventory job (docs/compatibility.md#jobs), stream its output through the parser into the planner, apply the
// plan to the cache in one durable batch, and say what the plan says. Shared by `vault sync` and
// `archive checkpresent`.
import { ServiceError } from "../../core/errors.ts";
import { createInventoryParser } from "../../core/inventory.ts";
import { pyRepr } from "../../core/py-repr.ts";
import { SyncPlanner, type SingleUploadIntent, type SyncMessage, type SyncPlan } from "../../core/sync-plan.ts";
import { isSingleUploadId } from "../../glacier/upload-journal.ts";
import type { GlacierPort } from "../../glacier/port.ts";
import type { SyncChange } from "../../cache/api.ts";
import type { CachedArchive } from "../../core/types.ts";
import type { Deps } from "../deps.ts";
import { forgetGoneUploads } from "./gone-uploads.ts";
import { obtainJob } from "./job-runner.ts";

export interface SyncOptions {
  vault: string;
  wait: boolean;
  fix: boolean;
  maxAgeHours: number;
}

export type SyncOutcome = { synced: true; plan: SyncPlan } | { synced: false; message: string };

/** A first sync of a big vault adds every archive: past this many, the rest is one summary line. */
const ADDED_LINES = 100;

/** InitiateJob found the vault but no inventory of it. */
class NoInventoryYet extends Error {}

export async function syncVault(deps: Deps, options: SyncOptions): Promise<SyncOutcome> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  await forgetGoneUploads(deps, glacier, cache, options.vault);
  // Glacier refuses an inventory job for a vault it has not inventoried yet (the first one comes
  // about a day after the first upload): a temporary state, not a failure. InitiateJob answers a
  // missing vault with the same code; DescribeVault tells the two apart (it fails for that one).
  const initiating: GlacierPort = {
    ...glacier,
    initiateJob: (vault, request) =>
      glacier.initiateJob(vault, request).catch(async (error: unknown) => {
        if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) throw error;
        await glacier.describeVault(vault);
        throw new NoInventoryYet("no inventory yet", { cause: error });
      }),
  };
  const outcome = await obtainJob(
    deps,
    initiating,
    options.vault,
    { kind: "inventory", vault: options.vault },
    { wait: options.wait, maxAgeHours: options.maxAgeHours },
  ).catch((error: unknown) => {
    if (error instanceof NoInventoryYet) {
      return {
        ready: false as const,
        message:
          `no inventory of vault ${pyRepr(options.vault)} yet: Glacier takes the first one about a day after ` +
          `the first upload; try again later`,
      };
    }
    throw error;
  });
  if (!outcome.ready) return { synced: false, message: outcome.message };
  const job = outcome.job;
  const output = await glacier.getJobOutput({ vault: options.vault, jobId: job.jobId });
  const parser = createInventoryParser(job.inventoryFormat ?? "JSON");
  // The JSON inventory starts with InventoryDate; CSV has none, so DescribeVault's date stands in.
  const pendingArchives = [];
  let planner: SyncPlanner | undefined;
  const cached = await cache.list(options.vault, { includeDeleted: true });
  const intents: SingleUploadIntent[] = (await cache.uploadIntents(options.vault))
    .filter((i) => isSingleUploadId(i.uploadId))
    .map((i) => ({ uploadId: i.uploadId, name: i.name, size: i.size, treeHash: i.treeHash, startedAt: i.startedAt }));
  const start = (inventoryDate: number) =>
    new SyncPlanner({
      cached,
      vault: options.vault,
      inventoryDate,
      jobCreationDate: job.creationDate,
      now: deps.clock.now(),
      fix: options.fix,
      intents,
    });
  for await (const chunk of output.body) {
    const archives = parser.push(chunk as Uint8Array);
    if (!planner && parser.inventoryDate !== null) planner = start(parser.inventoryDate);
    if (planner) {
      for (const archive of pendingArchives.splice(0)) planner.add(archive);
      for (const archive of archives) planner.add(archive);
    } else pendingArchives.push(...archives);
  }
  const last = parser.end();
  planner ??= start(
    parser.inventoryDate ?? (await glacier.describeVault(options.vault)).lastInventoryDate ?? job.creationDate,
  );
  for (const archive of [...pendingArchives, ...last]) planner.add(archive);
  const plan = planner.finish();
  // Duplicates go first: a crash after a deletion leaves the intent open, and the next sync (which
  // no longer finds that archive, or deletes it again: gone is gone) closes it.
  for (const row of plan.deletions) {
    await glacier.deleteArchive(options.vault, row.id).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === "ResourceNotFoundException") return;
      throw error;
    });
  }
  await cache.applySync(options.vault, changesOf(plan));
  say(deps, plan.messages);
  return { synced: true, plan };
}

function insertOf(row: CachedArchive, deletedHere?: number): SyncChange {
  return {
    kind: "insert",
    id: row.id,
    name: row.name,
    treeHash: row.treeHash,
    size: row.size,
    creationDate: row.creationDate,
    lastSeenUpstream: row.lastSeenUpstream ?? 0,
    deletedHere,
  };
}

function changesOf(plan: SyncPlan): SyncChange[] {
  return [
    ...plan.inserts.map((row) => insertOf(row)),
    ...plan.updates.map((u): SyncChange => ({ kind: "update", id: u.id, set: u.set })),
    ...plan.removals.map((id): SyncChange => ({ kind: "remove", id })),
    ...plan.deletions.map((row) => insertOf(row, row.deletedHere ?? undefined)),
    ...plan.closedIntents.map((uploadId): SyncChange => ({ kind: "close-intent", uploadId })),
  ];
}

function say(deps: Deps, messages: readonly SyncMessage[]): void {
  let added = 0;
  for (const message of messages) {
    if (message.kind === "added" && ++added > ADDED_LINES) continue;
    if (message.level === "warning") deps.output.warn(message.text);
    else deps.output.info(message.text);
  }
  if (added > ADDED_LINES)
    deps.output.warn(`${added - ADDED_LINES} more archives present upstream but not in cache - added`);
}
