// Jobs on the pure model (docs/glacier-api.md#jobs): initiate, describe, list, and when output may be read.
// A job's status is derived from the clock: it completes when now passes creation + tier delay.
import type { Tier } from "../core/types.ts";
import { MiB, isMegabyteAligned, isTreeHashAligned } from "../core/tree-hash.ts";
import { GlacierApiError, invalid, notFound } from "./api-error.ts";
import { newJobId } from "./ids.ts";
import { getVault } from "./model-vaults.ts";
import { inventoryParams } from "./inventory.ts";
import { type ArchiveRecord, type JobRecord, type ModelConfig, type RegionState, vaultArn } from "./state.ts";
import { isoMillis } from "./time.ts";

const TIERS = new Set<Tier>(["Expedited", "Standard", "Bulk"]);

export function jobStatus(job: JobRecord, now: number): "InProgress" | "Succeeded" | "Failed" {
  return now < job.completesAt ? "InProgress" : job.outcome;
}

export function getJob(state: RegionState, config: ModelConfig, vaultName: string, id: string): JobRecord {
  getVault(state, config, vaultName);
  const job = Object.hasOwn(state.jobs, id) ? state.jobs[id] : undefined;
  if (!job || job.vault !== vaultName) throw notFound(`The job ID was not found: ${id}`);
  return job;
}

export interface InitiateJobInput {
  params: Record<string, unknown>;
  /** Resolves the tree hash of an archive byte range from its stored chunk digests. */
  rangeTreeHash: (archive: ArchiveRecord, start: number, end: number) => string;
}

export function initiateJob(
  state: RegionState,
  config: ModelConfig,
  now: number,
  vaultName: string,
  input: InitiateJobInput,
): JobRecord {
  const vault = getVault(state, config, vaultName);
  const p = input.params;
  const str = (key: string): string | null => {
    const v = p[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string") throw invalid(`Invalid ${key}: ${JSON.stringify(v)}`);
    return v;
  };
  const type = str("Type");
  const description = str("Description");
  if (description !== null && (description.length > 1024 || !/^[\x20-\x7e]*$/.test(description)))
    throw invalid("Invalid job description");
  const tierText = str("Tier") ?? "Standard";
  if (!TIERS.has(tierText as Tier)) throw invalid(`Invalid tier: ${tierText}`);
  const tier = tierText as Tier;
  const base = {
    id: newJobId(),
    vault: vaultName,
    tier,
    description,
    snsTopic: str("SNSTopic"),
    creationDate: now,
    completesAt: now + config.jobDelays[tier] * 1000,
    outcome: "Succeeded" as const,
  };
  if (type === "inventory-retrieval") {
    if (p["ArchiveId"] !== undefined) throw invalid("An ArchiveId is not valid for an inventory-retrieval job");
    if (p["RetrievalByteRange"] !== undefined)
      throw invalid("RetrievalByteRange is not valid for an inventory-retrieval job");
    const raw = p["InventoryRetrievalParameters"];
    if (raw !== undefined && (typeof raw !== "object" || raw === null))
      throw invalid("Invalid InventoryRetrievalParameters");
    const inventory = inventoryParams(raw as Record<string, unknown> | undefined, p["Format"]);
    // docs/glacier-api.md#jobs: a vault with no inventory yet cannot be retrieved (emulator: 404).
    if (!vault.inventory)
      throw notFound(
        `No inventory has been generated yet for vault: ${vaultArn(config, vaultName)}. Inventories are ` +
          `generated about once a day after the first upload.`,
      );
    const job: JobRecord = {
      ...base,
      completesAt: now + config.jobDelays.Standard * 1000,
      tier: "Standard",
      action: "InventoryRetrieval",
      archiveId: null,
      archiveSize: null,
      archiveTreeHash: null,
      rangeTreeHash: null,
      retrievalByteRange: null,
      rangeStart: 0,
      outputSize: 0,
      inventory,
      nextMarker: null,
    };
    state.jobs[job.id] = job;
    return job;
  }
  if (type === "select") throw invalid("Select jobs are not supported by this emulator");
  if (type !== "archive-retrieval")
    throw invalid(
      `Invalid job type: ${type ?? "null"}. Valid values are: archive-retrieval, inventory-retrieval, select`,
    );
  const archiveId = str("ArchiveId");
  if (archiveId === null) throw invalid("An ArchiveId is required for an archive-retrieval job");
  const archive = Object.hasOwn(vault.archives, archiveId) ? vault.archives[archiveId] : undefined;
  if (!archive) throw notFound(`The archive ID was not found: ${archiveId}`);
  const rangeText = str("RetrievalByteRange");
  let start = 0;
  let end = archive.size - 1;
  if (rangeText !== null) {
    const m = /^(\d+)-(\d+)$/.exec(rangeText);
    start = m ? Number(m[1]) : -1;
    end = m ? Number(m[2]) : -1;
    // docs/glacier-api.md#tree-hash-aligned-ranges: "RetrievalByteRange in InitiateJob must be MB-aligned, else 400."
    if (!m || !isMegabyteAligned(start, end, archive.size)) {
      throw invalid(`The retrieval byte range must be megabyte aligned: ${rangeText}`);
    }
  }
  const bytes = end - start + 1;
  // docs/glacier-api.md#errors: "InsufficientCapacityException 503: Expedited retrieval without capacity".
  if (
    tier === "Expedited" &&
    config.expeditedRequiresCapacity &&
    !(state.capacity ?? []).some((c) => c.start <= now && c.expiration > now)
  ) {
    throw new GlacierApiError(
      "InsufficientCapacityException",
      "There is not enough capacity to process this Expedited retrieval request. Please try again later.",
    );
  }
  enforceRetrievalPolicy(state, now, bytes);
  const whole = start === 0 && end === archive.size - 1;
  const job: JobRecord = {
    ...base,
    action: "ArchiveRetrieval",
    archiveId,
    archiveSize: archive.size,
    archiveTreeHash: archive.treeHash,
    rangeTreeHash: whole
      ? archive.treeHash
      : isTreeHashAligned(start, end, archive.size)
        ? input.rangeTreeHash(archive, start, end)
        : null,
    retrievalByteRange: `${start}-${end}`,
    rangeStart: start,
    outputSize: bytes,
    inventory: null,
    nextMarker: null,
  };
  state.jobs[job.id] = job;
  // Recorded only while a policy counts them (thousands of test retrievals would bloat state.json).
  if (state.retrievalPolicy[0]?.Strategy !== "None") state.retrievals.push({ at: now, bytes });
  return job;
}

// Data-retrieval policy (docs/glacier-api.md#operations, docs/emulator.md#fidelity): BytesPerHour caps what the last
// hour's retrievals may total; FreeTier caps a day's retrievals at the free allowance (emulator: 10 GiB / 30 a day).
const FREE_TIER_BYTES_PER_DAY = Math.floor((10 * 1024 * MiB) / 30);

function enforceRetrievalPolicy(state: RegionState, now: number, bytes: number): void {
  const rule = state.retrievalPolicy[0];
  if (!rule || rule.Strategy === "None") return;
  state.retrievals = state.retrievals.filter((r) => r.at > now - 86_400_000);
  const windowMs = rule.Strategy === "BytesPerHour" ? 3_600_000 : 86_400_000;
  const cap = rule.Strategy === "BytesPerHour" ? (rule.BytesPerHour ?? 0) : FREE_TIER_BYTES_PER_DAY;
  const used = state.retrievals.filter((r) => r.at > now - windowMs).reduce((sum, r) => sum + r.bytes, 0);
  if (used + bytes > cap) {
    throw new GlacierApiError(
      "PolicyEnforcedException",
      `InitiateJob request denied by current data retrieval policy (${rule.Strategy}).`,
    );
  }
}

/** GlacierJobDescription (docs/glacier-api.md#job-descriptions); `omitNulls` drops null keys as the service does. */
export function describeJob(
  config: ModelConfig,
  job: JobRecord,
  now: number,
  omitNulls: boolean,
): Record<string, unknown> {
  const status = jobStatus(job, now);
  const done = status !== "InProgress";
  const archive = job.action === "ArchiveRetrieval";
  const view: Record<string, unknown> = {
    Action: job.action,
    ArchiveId: job.archiveId,
    ArchiveSHA256TreeHash: job.archiveTreeHash,
    ArchiveSizeInBytes: job.archiveSize,
    Completed: done,
    CompletionDate: done ? isoMillis(job.completesAt) : null,
    CreationDate: isoMillis(job.creationDate),
    InventoryRetrievalParameters: job.inventory
      ? { ...job.inventory, Marker: done ? job.nextMarker : job.inventory.Marker }
      : null,
    InventorySizeInBytes: !archive && done ? job.outputSize : null,
    JobDescription: job.description,
    JobId: job.id,
    RetrievalByteRange: job.retrievalByteRange,
    SHA256TreeHash: archive && done ? job.rangeTreeHash : null,
    SNSTopic: job.snsTopic,
    StatusCode: status,
    StatusMessage:
      status === "InProgress"
        ? "Operation in progress."
        : status === "Succeeded"
          ? "Succeeded"
          : (job.failureMessage ?? "Failed"),
    Tier: archive ? job.tier : null,
    VaultARN: vaultArn(config, job.vault),
  };
  if (omitNulls) for (const key of Object.keys(view)) if (view[key] === null) Reflect.deleteProperty(view, key);
  return view;
}

/** A vault's jobs in the order ListJobs pages through them (oldest first), and where each stands. */
export interface JobOrder {
  jobs: JobRecord[];
  position: Map<string, number>;
}

export function jobOrder(state: RegionState, vaultName: string): JobOrder {
  const jobs = Object.values(state.jobs)
    .filter((j) => j.vault === vaultName)
    .sort((a, b) => a.creationDate - b.creationDate || (a.id < b.id ? -1 : 1));
  return { jobs, position: new Map(jobs.map((j, i) => [j.id, i])) };
}

/**
 * ListJobs filters (docs/glacier-api.md#pagination): statuscode InProgress|Succeeded|Failed, completed true|false.
 * `order` is jobOrder(state, vaultName), which a caller may keep while the records do not change: a
 * client paging through 20,000 jobs asks 400 times, and sorting them all for each page made a
 * listing quadratic.
 */
export function listJobs(
  state: RegionState,
  config: ModelConfig,
  now: number,
  vaultName: string,
  query: { limit: number; marker: string | null; statuscode: string | null; completed: string | null },
  omitNulls: boolean,
  order: JobOrder = jobOrder(state, vaultName),
) {
  getVault(state, config, vaultName);
  if (query.statuscode !== null && !["InProgress", "Succeeded", "Failed"].includes(query.statuscode)) {
    throw invalid(`The job status code is not valid: ${query.statuscode}`);
  }
  if (query.completed !== null && query.completed !== "true" && query.completed !== "false") {
    throw invalid(`The completed parameter is not valid: ${query.completed}`);
  }
  const filtered = query.statuscode !== null || query.completed !== null;
  const jobs = !filtered
    ? order.jobs
    : order.jobs
        .filter((j) => query.statuscode === null || jobStatus(j, now) === query.statuscode)
        .filter(
          (j) => query.completed === null || (jobStatus(j, now) !== "InProgress") === (query.completed === "true"),
        );
  let start = 0;
  if (query.marker !== null) {
    start = !filtered ? (order.position.get(query.marker) ?? -1) : jobs.findIndex((j) => j.id === query.marker);
    if (start < 0) throw invalid(`Invalid marker: ${query.marker}`);
  }
  const page = jobs.slice(start, start + query.limit);
  return {
    JobList: page.map((j) => describeJob(config, j, now, omitNulls)),
    Marker: jobs[start + query.limit]?.id ?? null,
  };
}

/** GetJobOutput precondition: observed 400 "The job is not currently available for download: <id>". */
export function checkOutputReady(job: JobRecord, now: number): void {
  if (jobStatus(job, now) !== "Succeeded") throw invalid(`The job is not currently available for download: ${job.id}`);
}
