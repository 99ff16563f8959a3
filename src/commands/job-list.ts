// `glacier job list` (docs/compatibility.md#commands): every vault's jobs (first page of ListJobs, as boto 2
// read it), one line each in the exact format git-annex's assistant splits into 4 words.
import { jobListLine } from "../core/job-list.ts";
import type { Deps } from "./deps.ts";

export function parse(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, deps: Deps): Promise<void> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  for (const vault of await glacier.listVaults()) {
    const jobs = await glacier.listJobs(vault.name, { firstPageOnly: true });
    let text = "";
    for (const job of jobs) {
      const archive = job.archiveId === undefined ? undefined : await cache.get(vault.name, job.archiveId);
      const name = archive && archive.deletedHere === null ? archive.name : undefined;
      text += `${jobListLine(job, name)}\n`;
    }
    if (text) await deps.output.data(text);
  }
}
