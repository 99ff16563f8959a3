// One round of a committed migration (docs/migrate.md#committing): from the ledger, the plan and the
// state of the retrieval jobs, which archives to request now, which jobs to request again, which to
// copy and which source archives to delete. Pure: the command describes the jobs, applies the step
// through the port and records each change in the ledger.
import { DAY_MS } from "./prices.ts";
import type { JobDescription } from "./types.ts";

/** Glacier keeps a job's output "for at least 24 hours" after it completes (docs/glacier-api.md#job-output). */
export const JOB_OUTPUT_MS = DAY_MS;
/**
 * A completed job whose output expires within this margin is requested again rather than started:
 * a copy that began later could not finish in time. A copy already under way goes on.
 */
export const EXPIRY_MARGIN_MS = 2 * 3600_000;

/** One archive of this shard's plan, at the key it goes to. */
export interface StepItem {
  archiveId: string;
  key: string;
  size: number;
}

/** The ledger row as the step reads it (MigrationEntry of src/cache/migration-ledger.ts). */
export interface StepEntry {
  archiveId: string;
  state: "planned" | "requested" | "retrieved" | "uploading" | "verified" | "deleted";
  jobId: string | null;
  size: number | null;
  times: { requested?: number };
}

export type RerequestReason = "failed" | "expired" | "expiring";

export interface StepInput<E extends StepEntry> {
  /** This shard's archives, in plan order (the order requests are made in). */
  items: readonly StepItem[];
  entries: readonly E[];
  /** The job of each entry that has one: its description, or null when the service no longer knows it. */
  jobs: ReadonlyMap<string, JobDescription | null>;
  now: number;
  maxJobs: number;
  maxBytesPerDay?: number;
  deleteSource: boolean;
}

export interface Step<E extends StepEntry> {
  /** `requested` rows whose job succeeded: now `retrieved`. */
  retrieved: E[];
  /** Rows whose job failed or whose output expired (or will before a copy could end): request again. */
  rerequest: { entry: E; reason: RerequestReason }[];
  /** `planned` rows to request now, within --max-jobs and --max-bytes-per-day. */
  request: E[];
  /** Rows whose job output can be copied now, with that job. */
  copy: { entry: E; job: JobDescription }[];
  /** `verified` rows whose source archive goes (with --delete-source only). */
  delete: E[];
  /** Rows whose job is still running, before this step's requests. */
  running: E[];
  /** Rows (planned or to request again) held back by the pace, and when the byte budget frees up next. */
  held: number;
  nextRequestAt?: number;
}

/**
 * Whether the object found at an archive's key already holds that archive: the same tree hash and size
 * (docs/migrate.md#the-copy, adoption). An archive whose tree hash is unknown is never adopted.
 */
export function holdsArchive(
  found: { treeHash: string; size: number } | undefined,
  archive: { treeHash: string | null; size: number | null },
): boolean {
  return (
    found !== undefined &&
    archive.treeHash !== null &&
    found.treeHash === archive.treeHash &&
    found.size === archive.size
  );
}

const sizeOf = (entry: StepEntry, items: ReadonlyMap<string, StepItem>): number =>
  entry.size ?? items.get(entry.archiveId)?.size ?? 0;

export function migrationStep<E extends StepEntry>(input: StepInput<E>): Step<E> {
  const { now } = input;
  const items = new Map(input.items.map((item) => [item.archiveId, item]));
  const step: Step<E> = { retrieved: [], rerequest: [], request: [], copy: [], delete: [], running: [], held: 0 };
  const planned: E[] = [];
  for (const entry of input.entries) {
    if (entry.state === "verified") {
      if (input.deleteSource) step.delete.push(entry);
      continue;
    }
    if (entry.state === "deleted") continue;
    if (entry.state === "planned" || entry.jobId === null) {
      if (items.has(entry.archiveId)) planned.push(entry);
      continue;
    }
    const job = input.jobs.get(entry.jobId);
    if (job === undefined) continue;
    const reason = jobProblem(job, entry, now);
    if (reason !== undefined) step.rerequest.push({ entry, reason });
    else if (job !== null && job.status === "Succeeded") {
      if (entry.state === "requested") step.retrieved.push(entry);
      step.copy.push({ entry, job });
    } else step.running.push(entry);
  }
  pace(step, planned, input, items);
  return step;
}

/** Why the entry's job cannot be used, or undefined when it can (or is still running). */
function jobProblem(job: JobDescription | null, entry: StepEntry, now: number): RerequestReason | undefined {
  if (job === null) return "expired";
  if (job.status === "Failed") return "failed";
  if (job.status !== "Succeeded") return undefined;
  const expires = (job.completionDate ?? job.creationDate) + JOB_OUTPUT_MS;
  if (expires <= now) return "expired";
  if (entry.state !== "uploading" && expires - now < EXPIRY_MARGIN_MS) return "expiring";
  return undefined;
}

/**
 * Requests again first (they are older), then planned rows in plan order, while fewer than maxJobs
 * jobs run and the bytes requested in the last 24 hours stay within maxBytesPerDay. An archive larger
 * than the whole daily limit goes alone on a day with nothing else requested. The first that does not
 * fit stops the queue, so archives go in plan order.
 */
function pace<E extends StepEntry>(
  step: Step<E>,
  planned: readonly E[],
  input: StepInput<E>,
  items: ReadonlyMap<string, StepItem>,
): void {
  const since = input.now - DAY_MS;
  let used = 0;
  let oldest: number | undefined;
  for (const entry of input.entries) {
    const at = entry.times.requested;
    if (at === undefined || at <= since) continue;
    used += sizeOf(entry, items);
    oldest = oldest === undefined ? at : Math.min(oldest, at);
  }
  let inFlight = step.running.length;
  const again = step.rerequest.map((r) => r.entry);
  const order = new Map(input.items.map((item, i) => [item.archiveId, i]));
  const inOrder = [...planned].sort((a, b) => (order.get(a.archiveId) ?? 0) - (order.get(b.archiveId) ?? 0));
  const queue = [...again, ...inOrder];
  const limit = input.maxBytesPerDay;
  const allowed = new Set<E>();
  let stopped = false;
  for (const entry of queue) {
    const size = sizeOf(entry, items);
    const fits = limit === undefined || used + size <= limit || used === 0;
    if (stopped || inFlight >= input.maxJobs || !fits) {
      stopped = true;
      step.held++;
      if (!fits && oldest !== undefined) step.nextRequestAt ??= oldest + DAY_MS;
      continue;
    }
    allowed.add(entry);
    used += size;
    inFlight++;
  }
  step.rerequest = step.rerequest.filter((r) => allowed.has(r.entry));
  step.request = inOrder.filter((entry) => allowed.has(entry));
}
