// What happens by the passage of (virtual) time, applied before every operation: inventories fall
// due, job output expires, idle multipart uploads are reclaimed.
import { takeDueInventories } from "./inventory.ts";
import type { EmulatorState, ModelConfig, RegionState } from "./state.ts";

// glacier-api.md 2.3: "A successful Complete is idempotent for a short period"; "aborting an
// aborted one succeeds for a short time". The emulator keeps closed uploads for an hour.
const CLOSED_UPLOAD_GRACE_MS = 3_600_000;

export interface Swept {
  /** Jobs whose output expired: their output files can go. */
  jobs: string[];
  /** Uploads reclaimed while open: their part data can go. */
  uploads: string[];
  /** Whether anything in the state changed (then it must be saved even by a read). */
  changed: boolean;
}

/** Applies what time did to every region's records. */
export function housekeeping(state: EmulatorState, config: ModelConfig, now: number): Swept {
  const swept: Swept = { jobs: [], uploads: [], changed: false };
  for (const records of [state, ...Object.values(state.regions ?? {})]) sweepRegion(records, config, now, swept);
  return swept;
}

function sweepRegion(state: RegionState, config: ModelConfig, now: number, swept: Swept): void {
  // glacier-api.md 3.3: "Output stays downloadable for at least 24 h after completion (then the job
  // disappears -> 404)".
  for (const [id, job] of Object.entries(state.jobs)) {
    if (job.completesAt + config.jobExpirySeconds * 1000 <= now) {
      delete state.jobs[id];
      swept.jobs.push(id);
      swept.changed = true;
    }
  }
  for (const [id, upload] of Object.entries(state.uploads)) {
    const idle = upload.state === "open" && upload.lastActivity + config.uploadIdleSeconds * 1000 <= now;
    const closed = upload.state !== "open" && (upload.closedAt ?? 0) + CLOSED_UPLOAD_GRACE_MS <= now;
    if (idle || closed) {
      delete state.uploads[id];
      swept.changed = true;
      if (idle || upload.state === "aborted") swept.uploads.push(id);
    }
  }
  if (takeDueInventories(state, config, now) > 0) swept.changed = true;
}
