// One `job list` line (docs/compatibility.md#commands). git-annex splits each line on whitespace and needs exactly
// `STATUS DATE VAULT KEY` (docs/annex-protocol.md#built-in-glacier-remote), so the format is kept byte for byte:
//   `<a|i>/<p|d|e> <date> <vault padded to width 10> <name>`
// - a = ArchiveRetrieval, i = InventoryRetrieval; p = InProgress, d = Succeeded, e = Failed;
// - <date>: the completion date if present, otherwise the creation date, as the raw ISO string;
// - <name>: the cached name of the archive id, `id:<archive id>` when it is not cached or has no
//   name, and empty for inventory jobs (which leaves a trailing space).
import type { JobAction, JobDescription, JobStatus } from "./types.ts";

// glacier-cli crashes (KeyError) on a Select job; we show it as `s` and git-annex ignores it.
const ACTION_LETTER: Record<JobAction, string> = { ArchiveRetrieval: "a", InventoryRetrieval: "i", Select: "s" };
const STATUS_LETTER: Record<JobStatus, string> = { InProgress: "p", Succeeded: "d", Failed: "e" };

/**
 * @param cachedName the live cached name of the job's archive: undefined when the id is not in
 *   the cache, null when the row has no name. Ignored for inventory jobs.
 */
export function jobListLine(job: JobDescription, cachedName: string | null | undefined): string {
  const date = job.completionDateText ?? job.creationDateText;
  const name = job.action === "InventoryRetrieval" ? "" : cachedName ? cachedName : `id:${job.archiveId ?? ""}`;
  return `${ACTION_LETTER[job.action]}/${STATUS_LETTER[job.status]} ${date} ${job.vault.padEnd(10)} ${name}`;
}
