// When pending retrieval jobs should be ready: the latest creation time plus the tier's typical
// duration (docs/glacier-api.md#job-timing: Expedited 1-5 min, Standard 3-5 h, Bulk 5-12 h), as ISO text.
import type { JobDescription, Tier } from "../../core/types.ts";

export const TYPICAL_MS: Readonly<Record<Tier, number>> = {
  Expedited: 5 * 60_000,
  Standard: 5 * 3600_000,
  Bulk: 12 * 3600_000,
};

/** How long a job of the tier typically takes, in words ("about 5 h"). */
export function typicalDuration(tier: Tier): string {
  const ms = TYPICAL_MS[tier];
  return ms >= 3600_000 ? `about ${ms / 3600_000} h` : `about ${ms / 60_000} min`;
}

export function expectedReady(
  archiveIds: readonly string[],
  jobs: readonly JobDescription[],
  tier?: Tier,
): string | undefined {
  const wanted = new Set(archiveIds);
  let latest: number | undefined;
  for (const job of jobs) {
    if (job.completed || job.archiveId === undefined || !wanted.has(job.archiveId)) continue;
    const at = job.expectedCompletionDate ?? job.creationDate + TYPICAL_MS[job.tier ?? tier ?? "Standard"];
    latest = latest === undefined ? at : Math.max(latest, at);
  }
  return latest === undefined ? undefined : new Date(latest).toISOString();
}
