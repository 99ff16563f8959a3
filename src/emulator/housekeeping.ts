// What happens by the passage of (virtual) time, applied before an operation: inventories fall
// due, job output expires, idle multipart uploads are reclaimed. A sweep visits every job, upload
// and vault, so it runs only once something may be due (Swept.nextDue, quietPeriod): with
// thousands of jobs kept for a day, sweeping on every request cost as much as the request.
import { nextInventoryDue, takeDueInventories } from "./inventory.ts";
import type { EmulatorState, ModelConfig, RegionState } from "./state.ts";

// docs/glacier-api.md#multipart-uploads: "A successful Complete is idempotent for a short period"; "aborting an
// aborted one succeeds for a short time". The emulator keeps closed uploads for an hour.
const CLOSED_UPLOAD_GRACE_MS = 3_600_000;

export interface Swept {
  /** Jobs whose output expired: their output files can go. */
  jobs: string[];
  /** Uploads reclaimed while open: their part data can go. */
  uploads: string[];
  /** The earliest time at which something left in the state falls due (Infinity: nothing will). */
  nextDue: number;
}

/**
 * The least time from a change to anything it can make due: a new job expires jobExpiry after it
 * completes, an upload is reclaimed uploadIdle after its last activity or an hour after it closed,
 * a vault's inventory is taken inventoryLag after its last write. So after a write at time t
 * nothing new falls due before t + quietPeriod.
 */
export function quietPeriod(config: ModelConfig): number {
  const lag = config.inventoryLag === "live" ? 0 : config.inventoryLag * 1000;
  return Math.min(config.jobExpirySeconds * 1000, config.uploadIdleSeconds * 1000, CLOSED_UPLOAD_GRACE_MS, lag);
}

/** Applies what time did to every region's records. */
export function housekeeping(state: EmulatorState, config: ModelConfig, now: number): Swept {
  const swept: Swept = { jobs: [], uploads: [], nextDue: Infinity };
  for (const records of [state, ...Object.values(state.regions ?? {})]) sweepRegion(records, config, now, swept);
  return swept;
}

function sweepRegion(state: RegionState, config: ModelConfig, now: number, swept: Swept): void {
  // docs/glacier-api.md#job-output: "Output stays downloadable for at least 24 h after completion (then the job
  // disappears -> 404)".
  for (const [id, job] of Object.entries(state.jobs)) {
    const expires = job.completesAt + config.jobExpirySeconds * 1000;
    if (expires <= now) {
      Reflect.deleteProperty(state.jobs, id);
      swept.jobs.push(id);
    } else swept.nextDue = Math.min(swept.nextDue, expires);
  }
  for (const [id, upload] of Object.entries(state.uploads)) {
    const due =
      upload.state === "open"
        ? upload.lastActivity + config.uploadIdleSeconds * 1000
        : (upload.closedAt ?? 0) + CLOSED_UPLOAD_GRACE_MS;
    if (due <= now) {
      Reflect.deleteProperty(state.uploads, id);
      if (upload.state !== "completed") swept.uploads.push(id);
    } else swept.nextDue = Math.min(swept.nextDue, due);
  }
  takeDueInventories(state, config, now);
  for (const vault of Object.values(state.vaults))
    swept.nextDue = Math.min(swept.nextDue, nextInventoryDue(vault, config, now) ?? Infinity);
}
