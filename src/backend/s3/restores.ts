// Restores play the part of retrieval jobs, listings that of inventory jobs (docs/backends.md#restores):
// - an archive job is `restore:ID`. Initiating it asks HeadObject: an object of a class that reads at
//   once (STANDARD, GLACIER_IR, ...) or already restored needs nothing; otherwise RestoreObject with
//   the tier and days (202 started, 200 already restored; 409 RestoreAlreadyInProgress is waiting,
//   not an error). Describing it asks HeadObject's x-amz-restore;
// - ListJobs lists the restores under the prefix (ListObjectsV2 with RestoreStatus);
// - an inventory job completes at once: its output is the listing (inventory.ts).
import type { Clock } from "../../core/clock.ts";
import { ConsoleError, ServiceError } from "../../core/errors.ts";
import { keyForName, needsRestore, parseArchiveId, parseS3Address } from "../../core/s3-address.ts";
import type { JobDescription, Tier } from "../../core/types.ts";
import type { GlacierPort, JobOutput } from "../port.ts";
import { inventoryOutput } from "./inventory.ts";
import type { ObjectHead, S3Api } from "./objects.ts";
import { HEAD_CONCURRENCY, headVersion, idOf, mapBounded, treeHashOf } from "./heads.ts";
import { answerSha256, verifiedParts } from "./parts.ts";

const RESTORE = "restore:";
const INVENTORY = "inventory:";
const HOUR = 3600_000;

// Upper ends of the published restore times per class and tier
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html).
const RESTORE_MS: Record<string, Partial<Record<Tier, number>>> = {
  GLACIER: { Expedited: 5 * 60_000, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};

/**
 * Restore requests are spaced by this much at least: S3 takes at most 1,000 a second per account
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/archival-storage.html); `vault restore`
 * asks for all of a tree's objects in one run and must stay well under that.
 */
export const RESTORE_INTERVAL_MS = 5;

export interface RestoreConfig {
  api: S3Api;
  clock: Clock;
  restoreDays: number;
}

type JobOps = Pick<GlacierPort, "initiateJob" | "describeJob" | "listJobs" | "getJobOutput">;

export function s3Jobs(config: RestoreConfig): JobOps {
  const { api, clock } = config;
  // Restores asked for in this run: when and with which tier (S3 tells neither afterwards).
  const asked = new Map<string, { at: number; tier: Tier }>();
  let nextRestoreAt = 0;
  const paced = async () => {
    const wait = nextRestoreAt - clock.now();
    if (wait > 0) await clock.sleep(wait);
    nextRestoreAt = Math.max(clock.now(), nextRestoreAt) + RESTORE_INTERVAL_MS;
  };
  const describe = (vault: string, archiveId: string, head: ObjectHead): JobDescription =>
    restoreJob(vault, archiveId, head, clock.now(), asked.get(archiveId));
  const target = (vault: string, archiveId: string) => {
    const address = parseS3Address(vault);
    const ref = parseArchiveId(archiveId);
    return { address, ref, key: keyForName(address, ref.name) };
  };
  const head = (vault: string, archiveId: string) => {
    const t = target(vault, archiveId);
    return headVersion(api, t.address.bucket, t.key, t.ref);
  };

  return {
    initiateJob: async (vault, request) => {
      if (request.type === "inventory") return { jobId: `${INVENTORY}${clock.now()}` };
      const t = target(vault, request.archiveId);
      const found = await headVersion(api, t.address.bucket, t.key, t.ref);
      const state = restoreState(found);
      if (state !== "archived") return { jobId: RESTORE + request.archiveId };
      const tier: Tier = request.tier ?? "Standard";
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html
      if (tier === "Expedited" && found.storageClass === "DEEP_ARCHIVE")
        throw new ConsoleError(
          `${t.ref.name}: DEEP_ARCHIVE objects are restored by the Standard or Bulk tier, not Expedited`,
        );
      await paced();
      asked.set(request.archiveId, { at: clock.now(), tier });
      await api
        .restoreObject({
          bucket: t.address.bucket,
          key: t.key,
          ...(t.ref.versionId ? { versionId: t.ref.versionId } : {}),
          tier,
          days: request.restoreDays ?? config.restoreDays,
        })
        .catch((error: unknown) => {
          // Another run (or another clone) asked first: the restore is under way, which is what we want.
          if (error instanceof ServiceError && error.code === "RestoreAlreadyInProgress") return;
          throw error;
        });
      return { jobId: RESTORE + request.archiveId };
    },
    describeJob: async (vault, jobId) => {
      if (jobId.startsWith(INVENTORY)) return inventoryJob(vault, jobId, Number(jobId.slice(INVENTORY.length)));
      if (!jobId.startsWith(RESTORE)) throw new ServiceError(`no such job: ${jobId}`, "ResourceNotFoundException");
      const archiveId = jobId.slice(RESTORE.length);
      const found = await head(vault, archiveId);
      const job = describe(vault, archiveId, found);
      if (job.status !== "Succeeded") return job;
      const parts = await verifiedParts(api, readTarget(target(vault, archiveId)), found);
      return parts ? { ...job, verifiedParts: parts } : job;
    },
    listJobs: async (vault) => {
      const address = parseS3Address(vault);
      const listed = await api.listObjects(address.bucket, address.prefix, true);
      // Only objects with a restore are jobs; HeadObject gives their version and tree hash (the id).
      const restoring = listed.filter((o) => o.restoreInProgress !== undefined && o.key !== address.prefix);
      const heads = await mapBounded(restoring, HEAD_CONCURRENCY, (o) =>
        api.headObject(address.bucket, o.key).catch(() => undefined),
      );
      return restoring.flatMap((o, i): JobDescription[] => {
        const found = heads[i];
        if (!found) return [];
        return [describe(vault, idOf(o.key.slice(address.prefix.length), found), found)];
      });
    },
    getJobOutput: async (input): Promise<JobOutput> => {
      if (input.jobId.startsWith(INVENTORY)) return inventoryOutput(api, input.vault, clock.now());
      const t = target(input.vault, input.jobId.slice(RESTORE.length));
      const got = await api.getObject({
        ...readTarget(t),
        ...(input.part !== undefined ? { partNumber: input.part } : input.range ? { range: input.range } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
      const output: JobOutput = { body: got.body, status: got.status };
      const sha256 = input.part !== undefined || !input.range ? answerSha256(got) : undefined;
      if (sha256 !== undefined) output.sha256 = sha256;
      if (got.contentLength !== undefined) output.contentLength = got.contentLength;
      if (got.contentRange) output.contentRange = got.contentRange;
      return output;
    },
  };
}

function readTarget(t: { address: { bucket: string }; key: string; ref: { versionId?: string } }) {
  return { bucket: t.address.bucket, key: t.key, ...(t.ref.versionId ? { versionId: t.ref.versionId } : {}) };
}

type RestoreState = "readable" | "restoring" | "restored" | "archived";

export function restoreState(head: Pick<ObjectHead, "storageClass" | "restore">): RestoreState {
  if (!needsRestore(head.storageClass)) return "readable";
  if (head.restore === undefined) return "archived";
  return /ongoing-request="true"/.test(head.restore) ? "restoring" : "restored";
}

function restoreJob(
  vault: string,
  archiveId: string,
  head: ObjectHead,
  now: number,
  asked: { at: number; tier: Tier } | undefined,
): JobDescription {
  const state = restoreState(head);
  const iso = new Date(now).toISOString();
  const created = asked?.at ?? now;
  const job: JobDescription = {
    jobId: RESTORE + archiveId,
    vault,
    action: "ArchiveRetrieval",
    status: state === "restoring" ? "InProgress" : state === "archived" ? "Failed" : "Succeeded",
    completed: state !== "restoring",
    creationDate: created,
    creationDateText: new Date(created).toISOString(),
    archiveId,
    archiveSize: head.size,
  };
  if (asked) job.tier = asked.tier;
  if (state === "restoring") {
    // A restore asked for by an earlier run: its start is unknown, so the full time counts from now.
    const ms = RESTORE_MS[head.storageClass]?.[asked?.tier ?? "Standard"] ?? 12 * HOUR;
    job.expectedCompletionDate = created + ms;
  }
  if (state === "archived")
    job.statusMessage = "the object is archived and no restore is under way (or the copy expired)";
  if (job.completed) Object.assign(job, { completionDate: now, completionDateText: iso });
  const treeHash = treeHashOf(head);
  if (treeHash) job.archiveTreeHash = treeHash;
  return job;
}

function inventoryJob(vault: string, jobId: string, at: number): JobDescription {
  const iso = new Date(Number.isFinite(at) ? at : 0).toISOString();
  return {
    jobId,
    vault,
    action: "InventoryRetrieval",
    status: "Succeeded",
    completed: true,
    creationDate: at,
    creationDateText: iso,
    completionDate: at,
    completionDateText: iso,
    inventoryFormat: "JSON",
  };
}
