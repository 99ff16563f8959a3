// TRANSFER RETRIEVE where a retrieval is per archive and one request tells its state (restores of
// S3 objects: the `retrievalNeedsRestore: "per-archive"` capability, docs/annex-s3.md#restores).
// The remote follows each key's retrieval through the git-annex branch rather than the vault's job
// list: the first RETRIEVE of a chunked key requests the retrieval of every chunk at once (git-annex
// fetches chunks in order and stops at the first failure, so one chunk per run would take a whole
// wait per chunk), records each request in that chunk's state, and fails with the time the data
// should be ready. A later run, in this clone or another one that pulled the branch, asks the
// recorded job and downloads once it is done, without requesting anything again.
import { PendingError, ServiceError } from "../core/errors.ts";
import type { JobDescription, Tier } from "../core/types.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { RemoteWorld } from "./glacier-backend.ts";
import { formatState, parseRetrieval, parseState, type KeyRecord, type RetrievalRecord } from "./glacier-records.ts";
import { download, TYPICAL_DURATION, utc } from "./glacier-retrieve.ts";
import type { RemoteContext } from "./remote.ts";

export interface KeyArchive {
  key: Uint8Array;
  name: string;
  record: KeyRecord;
}

interface RestoreRequest extends KeyArchive {
  context: RemoteContext;
  port: GlacierPort;
  world: RemoteWorld;
  vault: string;
  tier: Tier;
  restoreDays: number | undefined;
  file: Uint8Array;
  /** The other chunks of the same file, whose retrievals are requested at the same time. */
  siblings(): Promise<KeyArchive[]>;
}

type Followed = { ready: true; job: JobDescription } | { ready: false; retrieval: RetrievalRecord; fresh: boolean };

export async function retrieveByRestore(request: RestoreRequest): Promise<void> {
  const own = await follow(request, request);
  if (own.ready) return download(request, own.job);
  let requested = 0;
  let underWay = 0;
  for (const sibling of await request.siblings()) {
    const followed = await follow(request, sibling);
    if (!followed.ready) {
      if (followed.fresh) requested++;
      else underWay++;
    }
  }
  const line = pendingRestoreLine(own.retrieval, own.fresh, { requested, underWay });
  // Shown by every command (fsck --from shows no failure reason), as the job-based retrieval does.
  await request.context.info(line);
  throw new PendingError(line);
}

/** The state of one archive's retrieval: the recorded one when it is still usable, else a new request. */
async function follow(request: RestoreRequest, target: KeyArchive): Promise<Followed> {
  const { port, vault, context } = request;
  const state = await context.getState(target.key);
  const known = parseRetrieval(state);
  if (known) {
    const job = await port.describeJob(vault, known.jobId).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === "ResourceNotFoundException") return undefined;
      throw error;
    });
    if (job?.completed && job.status === "Succeeded") return { ready: true, job };
    if (job && !job.completed) return { ready: false, retrieval: known, fresh: false };
    // Failed (the restored copy expired, or was never made) or gone: request it again.
  }
  const { jobId } = await port.initiateJob(vault, {
    type: "archive",
    archiveId: target.record.archiveId,
    tier: request.tier,
    ...(request.restoreDays !== undefined ? { restoreDays: request.restoreDays } : {}),
  });
  // Readable at once (a class with no restore, a copy restored earlier, local:DIR): no wait.
  const job = await port.describeJob(vault, jobId);
  if (job.completed && job.status === "Succeeded") return { ready: true, job };
  if (job.status === "Failed")
    throw new ServiceError(`retrieval ${jobId} failed: ${job.statusMessage ?? "no reason given"}`, "JobFailed");
  const requestedAt = request.world.clock.now();
  // The backend knows the class and so the time (DEEP_ARCHIVE takes longest); a run in another
  // clone only sees the restore under way, so the time is recorded with the request.
  const readyAt = job.expectedCompletionDate ?? requestedAt + TYPICAL_DURATION[request.tier];
  const retrieval: RetrievalRecord = { jobId, tier: request.tier, requestedAt, readyAt };
  await share(context, target, state, retrieval);
  return { ready: false, retrieval, fresh: true };
}

/** Records the request in the key's state, beside its archive (docs/annex-protocol.md#messages: SETSTATE). */
async function share(
  context: RemoteContext,
  target: KeyArchive,
  state: string,
  retrieval: RetrievalRecord,
): Promise<void> {
  const base = parseState(state) ?? target.record;
  const treeHash = base.treeHash ?? target.record.treeHash;
  const size = base.size ?? target.record.size;
  // A record with no tree hash or size cannot be written back whole: the request is simply not shared.
  if (treeHash === null || size === null) return;
  await context.setState(
    target.key,
    formatState({ archiveId: base.archiveId, treeHash, size, uploadedAt: base.createdHere ?? 0, retrieval }),
  );
}

/** One line (a TRANSFER-FAILURE message is one line): when it was requested, when it should be ready. */
function pendingRestoreLine(
  retrieval: RetrievalRecord,
  fresh: boolean,
  chunks: { requested: number; underWay: number },
): string {
  const when = new Date(retrieval.requestedAt);
  const requested = fresh
    ? `requested now (${utc(when)})`
    : `requested ${utc(when)} (recorded in the git-annex branch)`;
  const others: string[] = [];
  if (chunks.requested > 0) others.push(`${String(chunks.requested)} more chunks of this file requested now`);
  if (chunks.underWay > 0) others.push(`${String(chunks.underWay)} more already under way`);
  const also = others.length > 0 ? `; ${others.join(", ")}` : "";
  return (
    `${retrieval.tier} restore ${requested}${also}; ` +
    `not available yet, expected by ${utc(new Date(retrieval.readyAt))}: run git annex get --failed then`
  );
}
