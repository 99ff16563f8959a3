// TRANSFER RETRIEVE: reuse a matching retrieval job or initiate one (the tier from
// the config); while it runs, fail with one line naming the job (docs/annex-protocol.md#retrieval-not-ready: "send no
// PROGRESS and do not write or truncate File"); once it is done, download verified ranges with
// PROGRESS. "Do not block until the job completes: git-annex would hang for hours".
import { once } from "node:events";
import { PendingError, ServiceError } from "../core/errors.ts";
import { chooseJob, type JobTarget } from "../core/job-choice.ts";
import type { JobDescription, Tier } from "../core/types.ts";
import { downloadArchive, unverifiedNotice } from "../glacier/download.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { RemoteWorld } from "./glacier-backend.ts";
import { downloadTarget, progressSender } from "./glacier-files.ts";
import type { JobBook } from "./glacier-jobs.ts";
import type { KeyRecord } from "./glacier-records.ts";
import type { RemoteContext } from "./remote.ts";

const MINUTE = 60_000;
/**
 * Glacier's published typical durations, upper ends:
 * "Standard takes about 3–5 h, Bulk 5–12 h, and Expedited 1–5 min".
 */
export const TYPICAL_DURATION: Record<Tier, number> = {
  Expedited: 5 * MINUTE,
  Standard: 5 * 60 * MINUTE,
  Bulk: 12 * 60 * MINUTE,
};

export interface RetrieveRequest {
  context: RemoteContext;
  port: GlacierPort;
  jobs: JobBook;
  world: RemoteWorld;
  vault: string;
  tier: Tier;
  name: string;
  record: KeyRecord;
  file: Uint8Array;
  /** Other archives to start jobs for when this one is not ready (a chunked key's siblings). */
  siblings(): Promise<{ name: string; record: KeyRecord }[]>;
}

export async function retrieveArchive(request: RetrieveRequest): Promise<void> {
  const { port, vault, record, world, jobs } = request;
  const outcome = await obtain(request, await jobs.forArchive(record.archiveId), {
    kind: "archive",
    archiveId: record.archiveId,
    label: request.name,
  });
  if (outcome.ready) return download(request, outcome.job);
  // "For unencrypted chunk keys it could pre-request all sibling chunks": git-annex fetches chunks
  // in order and stops at the first failure, so each `get` would otherwise advance one chunk.
  let started = 0;
  for (const sibling of await request.siblings()) {
    const target: JobTarget = { kind: "archive", archiveId: sibling.record.archiveId, label: sibling.name };
    const choice = chooseJob(await jobs.forArchive(sibling.record.archiveId), target, {
      now: world.clock.now(),
      maxAgeHours: 0,
      wait: false,
    });
    if (choice.action !== "initiate") continue;
    const { jobId } = await port.initiateJob(vault, {
      type: "archive",
      archiveId: sibling.record.archiveId,
      tier: request.tier,
    });
    jobs.follow(await port.describeJob(vault, jobId));
    started++;
  }
  const also = started > 0 ? `; also started jobs for ${started} more chunks of this file` : "";
  const line = `${pendingLine(outcome.job, outcome.fresh, request.tier)}${also}`;
  // `git annex fsck --from` shows only "failed to download file from remote", not the failure's
  // reason: the job and when it should be ready also go to the user as INFO, which every command shows.
  await request.context.info(line);
  throw new PendingError(line);
}

type Outcome = { ready: true; job: JobDescription } | { ready: false; job: JobDescription; fresh: boolean };

async function obtain(
  request: RetrieveRequest,
  known: readonly JobDescription[],
  target: JobTarget & { kind: "archive" },
): Promise<Outcome> {
  const { port, vault, context, world, jobs } = request;
  const choice = chooseJob(known, target, { now: world.clock.now(), maxAgeHours: 0, wait: false });
  if (choice.action === "use") {
    jobs.follow(choice.job);
    return { ready: true, job: choice.job };
  }
  if (choice.action === "pending" || choice.action === "wait") {
    const job = newest(choice.jobs);
    jobs.follow(job);
    return { ready: false, job, fresh: false };
  }
  if (choice.notice) await context.info(choice.notice);
  const { jobId } = await port.initiateJob(vault, { type: "archive", archiveId: target.archiveId, tier: request.tier });
  // A job can be done at once (Expedited, or an emulator with no delay): then download now.
  const job = await port.describeJob(vault, jobId);
  jobs.follow(job);
  if (job.completed && job.status === "Succeeded") return { ready: true, job };
  if (job.status === "Failed")
    throw new ServiceError(
      `Glacier retrieval job ${jobId} failed: ${job.statusMessage ?? "no reason given"}`,
      "JobFailed",
    );
  return { ready: false, job, fresh: true };
}

/** One line: "Reply TRANSFER-FAILURE RETRIEVE K <message> on a single line". */
export function pendingLine(job: JobDescription, fresh: boolean, configuredTier: Tier): string {
  const tier = job.tier ?? configuredTier;
  const started = new Date(job.creationDate);
  const ready = new Date(job.creationDate + TYPICAL_DURATION[tier]);
  return (
    `Glacier retrieval job ${job.jobId} (${tier}) ${fresh ? "initiated" : "in progress since"} ${utc(started)}; ` +
    `not available yet, expected by ${utc(ready)}: run git annex get --failed then`
  );
}

export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function newest(jobs: readonly JobDescription[]): JobDescription {
  return jobs.reduce((a, b) => (b.creationDate > a.creationDate ? b : a));
}

/** What a download needs of a retrieval request. */
type DownloadRequest = Pick<RetrieveRequest, "context" | "port" | "world" | "name" | "record" | "file">;

/** Downloads a finished job's output to File, verified against the key's record, with PROGRESS. */
export async function download(request: DownloadRequest, job: JobDescription): Promise<void> {
  const target = downloadTarget(request.file, request.world.cwd);
  const progress = progressSender((bytes) => request.context.progress(bytes));
  try {
    // The key's record (tree hash and size from the upload, or an inventory) is checked as well as
    // Glacier's headers, which a proxy can drop or another Glacier leave out.
    const known = {
      size: request.record.size,
      treeHash: request.record.treeHash,
      source: "the remote's record of the key",
    };
    const result = await downloadArchive({
      port: request.port,
      job,
      clock: request.world.clock,
      known,
      target,
      onProgress: (done) => {
        progress.update(done);
      },
    });
    if (!result.verified) await request.context.info(unverifiedNotice(request.name));
    if ("stream" in target) {
      target.stream.end();
      await once(target.stream, "finish");
    }
  } finally {
    if ("stream" in target && !target.stream.writableFinished) target.stream.destroy();
    await progress.flush();
  }
}
