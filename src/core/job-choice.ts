// Which Glacier job an `archive retrieve` or a `vault sync` uses (docs/compatibility.md#jobs), as a
// plan: use a finished job, wait for a running one, report it pending (exit 75), or start one.
// glacier-cli's bugs are fixed here (docs/compatibility.md#fixed-bugs):
// - "Glacier sets Completed for Failed jobs too. A failed job can therefore be picked": a Failed
//   job is never used; it is reported and a new job replaces it;
// - a job whose output is gone ("Output stays downloadable for at least 24 h after completion",
//   docs/glacier-api.md#job-output) is never reused;
// - a retrieval of only part of the archive (another tool's RetrievalByteRange) is not taken for
//   the whole archive.
import { pyRepr } from "./py-repr.ts";
import type { JobDescription } from "./types.ts";

const HOUR = 3600_000;
export const JOB_OUTPUT_LIFETIME_MS = 24 * HOUR;

/** `label` is the archive ref as the user typed it: glacier-cli's messages quote it. */
export type JobTarget = { kind: "archive"; archiveId: string; label: string } | { kind: "inventory"; vault: string };

export interface JobChoiceInput {
  now: number;
  /** Inventory jobs only (`vault sync --max-age`): reuse jobs completed within this many hours. */
  maxAgeHours: number;
  wait: boolean;
}

export type JobChoice =
  | { action: "use"; job: JobDescription }
  /** --wait: poll these running jobs (see waitSchedule) and use the first that succeeds. */
  | { action: "wait"; jobs: JobDescription[] }
  /** No --wait: exit 75 (PendingError) with `message`. */
  | { action: "pending"; jobs: JobDescription[]; message: string }
  /**
   * Start a job. `notice` (info) says which failed job it replaces. Then, with --wait, wait for
   * it; otherwise exit 75 with `queuedMessage`.
   */
  | { action: "initiate"; then: "wait" | "report"; queuedMessage: string; replaces?: JobDescription; notice?: string };

export function pendingMessage(target: JobTarget): string {
  return target.kind === "archive"
    ? `job still pending for archive ${pyRepr(target.label)}`
    : `job still pending for inventory on ${pyRepr(target.vault)}`;
}

export function queuedMessage(target: JobTarget): string {
  return target.kind === "archive"
    ? `queued retrieval job for archive ${pyRepr(target.label)}`
    : `queued inventory job for ${pyRepr(target.vault)}`;
}

export function failedJobMessage(target: JobTarget, job: JobDescription): string {
  const what =
    target.kind === "archive"
      ? `retrieval job for archive ${pyRepr(target.label)}`
      : `inventory job for ${pyRepr(target.vault)}`;
  return `${what} failed (${job.statusMessage ?? "no reason given"}); queuing a new one`;
}

/**
 * docs/compatibility.md#jobs: archive jobs are those for the archive id; inventory jobs are those not
 * completed or, when max-age > 0, completed later than now − max-age. Jobs whose output has
 * expired are left out.
 */
export function candidateJobs(
  jobs: readonly JobDescription[],
  target: JobTarget,
  now: number,
  maxAgeHours: number,
): JobDescription[] {
  return jobs.filter((job) => {
    if (isExpired(job, now)) return false;
    if (target.kind === "archive")
      return job.action === "ArchiveRetrieval" && job.archiveId === target.archiveId && isWholeArchive(job);
    if (job.action !== "InventoryRetrieval") return false;
    if (!job.completed) return true;
    return maxAgeHours > 0 && (job.completionDate === undefined || job.completionDate > now - maxAgeHours * HOUR);
  });
}

export function chooseJob(jobs: readonly JobDescription[], target: JobTarget, input: JobChoiceInput): JobChoice {
  const candidates = candidateJobs(jobs, target, input.now, input.maxAgeHours);
  const done = latestSucceeded(candidates);
  if (done) return { action: "use", job: done };
  const running = candidates.filter((job) => !job.completed);
  if (running.length > 0) {
    return input.wait
      ? { action: "wait", jobs: running }
      : { action: "pending", jobs: running, message: pendingMessage(target) };
  }
  const failed = latestCompleted(candidates.filter((job) => job.status === "Failed"));
  return {
    action: "initiate",
    then: input.wait ? "wait" : "report",
    queuedMessage: queuedMessage(target),
    ...(failed && { replaces: failed, notice: failedJobMessage(target, failed) }),
  };
}

export type WaitCheck =
  | { action: "use"; job: JobDescription }
  | { action: "keep-waiting" }
  /** Every job waited for failed: start a new one (say `notice`) and wait for it. */
  | { action: "replace"; failed: JobDescription; notice: string };

/** After the waited-for jobs were refreshed with DescribeJob (docs/compatibility.md#wait-loop). */
export function checkWaitedJobs(refreshed: readonly JobDescription[], target: JobTarget): WaitCheck {
  const done = latestSucceeded(refreshed);
  if (done) return { action: "use", job: done };
  if (refreshed.some((job) => !job.completed)) return { action: "keep-waiting" };
  const failed = latestCompleted(refreshed);
  if (!failed) return { action: "keep-waiting" };
  return { action: "replace", failed, notice: failedJobMessage(target, failed) };
}

function isExpired(job: JobDescription, now: number): boolean {
  return job.completed && job.completionDate !== undefined && job.completionDate <= now - JOB_OUTPUT_LIFETIME_MS;
}

function isWholeArchive(job: JobDescription): boolean {
  if (job.retrievalByteRange === undefined || job.archiveSize === undefined) return true;
  return job.retrievalByteRange === `0-${job.archiveSize - 1}`;
}

function latestSucceeded(jobs: readonly JobDescription[]): JobDescription | undefined {
  return latestCompleted(jobs.filter((job) => job.completed && job.status === "Succeeded"));
}

/** "among the jobs with Completed == true, the one with the latest completion date." */
function latestCompleted(jobs: readonly JobDescription[]): JobDescription | undefined {
  let best: JobDescription | undefined;
  for (const job of jobs) {
    if (!job.completed) continue;
    if (best === undefined || (job.completionDate ?? 0) > (best.completionDate ?? 0)) best = job;
  }
  return best;
}
