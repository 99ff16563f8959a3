// What a real `vault restore` would start, said by its dry run without starting anything
// (docs/restore.md "Dry runs"): the retrieval jobs it would initiate (an archive with a running or
// finished job reuses it), their retrieval cost at the tier, and when they would typically be ready.
import { chooseJob } from "../../core/job-choice.ts";
import type { CachedArchive, Tier } from "../../core/types.ts";
import type { Deps } from "../deps.ts";
import { costModelFor } from "../../platform/price-file.ts";
import { typicalDuration } from "./job-eta.ts";
import { mib } from "./tree-upload.ts";

export interface JobForecast {
  jobs: number;
  bytes: number;
  text: string;
}

/** Which of these archives a real run would start a job for, and what that costs. */
export async function forecastJobs(
  deps: Deps,
  vault: string,
  archives: readonly CachedArchive[],
  tier: Tier | undefined,
): Promise<JobForecast> {
  const [glacier, settings] = await Promise.all([deps.glacier(), deps.settings()]);
  const listed = archives.length > 0 ? await glacier.listJobs(vault) : [];
  const now = deps.clock.now();
  let jobs = 0;
  let bytes = 0;
  for (const archive of archives) {
    const choice = chooseJob(
      listed,
      { kind: "archive", archiveId: archive.id, label: archive.name ?? archive.id },
      { now, maxAgeHours: 0, wait: false },
    );
    if (choice.action !== "initiate") continue;
    jobs++;
    bytes += archive.size ?? 0;
  }
  const chosen = tier ?? "Standard";
  if (jobs === 0) return { jobs, bytes, text: "a real run would start no retrieval job" };
  const costs = await costModelFor(glacier.capabilities(vault).pricing, settings.region, deps.env.GLACIER_PRICES);
  const cost = costs.retrievalCost(bytes, jobs, chosen) ?? 0;
  const text =
    `a real run would start ${jobs} retrieval ${jobs === 1 ? "job" : "jobs"} (${mib(bytes)}, ${chosen} tier, ` +
    `about $${cost.toFixed(2)} in retrieval fees, typically ready in ` +
    `${typicalDuration(chosen).replace("about ", "")})`;
  return { jobs, bytes, text };
}
