// The retrieval jobs of a committed migration (docs/migrate.md#committing): each ledger job described
// (null once the service no longer knows it: its output expired), and jobs already running for an
// archive the ledger still calls planned (a run killed between InitiateJob and its ledger record)
// taken over instead of requested again.
import { ServiceError } from "../../core/errors.ts";
import type { JobDescription } from "../../core/types.ts";
import type { GlacierPort } from "../../backend/port.ts";

/** DescribeJob requests in flight at once. */
const DESCRIBE_CONCURRENCY = 8;

export async function describeJobs(
  port: GlacierPort,
  vault: string,
  jobIds: Iterable<string>,
): Promise<Map<string, JobDescription | null>> {
  const queue = [...new Set(jobIds)];
  const out = new Map<string, JobDescription | null>();
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        out.set(id, await port.describeJob(vault, id));
      } catch (error) {
        // The vault exists (the inventory was just read): a missing resource is the job.
        if (!(error instanceof ServiceError && error.code === "ResourceNotFoundException")) throw error;
        out.set(id, null);
      }
    }
  };
  await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, worker));
  return out;
}

/** Whole-archive retrieval jobs of the vault that are running or done, by archive id (the newest). */
export async function usableJobsByArchive(port: GlacierPort, vault: string): Promise<Map<string, JobDescription>> {
  const out = new Map<string, JobDescription>();
  for (const job of await port.listJobs(vault)) {
    if (job.action !== "ArchiveRetrieval" || job.archiveId === undefined || job.status === "Failed") continue;
    if (job.retrievalByteRange !== undefined && !wholeRange(job)) continue;
    const seen = out.get(job.archiveId);
    if (seen === undefined || seen.creationDate < job.creationDate) out.set(job.archiveId, job);
  }
  return out;
}

/** "0-(size-1)" or absent: the whole archive. */
function wholeRange(job: JobDescription): boolean {
  return job.archiveSize !== undefined && job.retrievalByteRange === `0-${job.archiveSize - 1}`;
}
