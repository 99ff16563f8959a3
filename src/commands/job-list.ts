// `glacier job list` (docs/compatibility.md#commands): every vault's jobs (first page of ListJobs, as boto 2
// read it), one line each in the exact format git-annex's assistant splits into 4 words; then the
// restores of the S3 addresses the cache knows.
import { jobListLine } from "../core/job-list.ts";
import type { Deps } from "./deps.ts";

export function parse(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, deps: Deps): Promise<void> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  // Addresses that listVaults does not return (S3 buckets and prefixes) are those the cache knows;
  // their "jobs" are their pending and finished restores (docs/backends.md#restores).
  const listed = (await glacier.listVaults()).map((v) => v.name);
  const known = (await cache.vaults()).filter((v) => !glacier.capabilities(v).listedByListVaults);
  for (const vault of [...listed, ...known]) {
    const jobs = await glacier.listJobs(vault, { firstPageOnly: true });
    let text = "";
    for (const job of jobs) {
      const archive = job.archiveId === undefined ? undefined : await cache.get(vault, job.archiveId);
      const name = archive && archive.deletedHere === null ? archive.name : undefined;
      text += `${jobListLine(job, name)}\n`;
    }
    if (text) await deps.output.data(text);
  }
}
