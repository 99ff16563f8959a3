// How `--wait` polls a Glacier job, as data. glacier-cli slept 600 s between checks and gave up
// after 144 sleeps (24 h) with a traceback (docs/compatibility.md#wait-loop). We start with short sleeps (an
// Expedited retrieval takes 1–5 min), double them up to a cap, and stop after a bound that
// depends on how long such a job takes (docs/glacier-api.md#job-timing: Expedited 1–5 min, Standard 3–5 h,
// Bulk 5–12 h, inventories "around 4 hours").
import type { JobTarget } from "./job-choice.ts";
import { pyRepr } from "./py-repr.ts";
import type { Tier } from "./types.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface WaitSchedule {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Give up once this much time has passed since waiting began. */
  totalMs: number;
}

const BY_TIER: Record<Tier, WaitSchedule> = {
  Expedited: { firstDelayMs: 15 * SECOND, maxDelayMs: 1 * MINUTE, totalMs: 1 * HOUR },
  Standard: { firstDelayMs: 1 * MINUTE, maxDelayMs: 10 * MINUTE, totalMs: 24 * HOUR },
  Bulk: { firstDelayMs: 1 * MINUTE, maxDelayMs: 15 * MINUTE, totalMs: 48 * HOUR },
};

/** Inventory jobs have no tier; they are polled like Standard retrievals. */
export function waitSchedule(tier: Tier = "Standard"): WaitSchedule {
  return BY_TIER[tier];
}

/**
 * How long to sleep before check number `attempt + 1` (attempt 0 is the first sleep), or
 * undefined when the time is up. The last sleep is shortened so waiting never passes totalMs.
 */
export function nextPollDelay(schedule: WaitSchedule, attempt: number, elapsedMs: number): number | undefined {
  const left = schedule.totalMs - elapsedMs;
  if (left <= 0) return undefined;
  const delay = Math.min(schedule.firstDelayMs * 2 ** Math.min(attempt, 30), schedule.maxDelayMs);
  return Math.min(delay, left);
}

/** Said with exit 75 when waiting gave up: the job is still running and may finish later. */
export function waitTimeoutMessage(target: JobTarget, schedule: WaitSchedule): string {
  const what =
    target.kind === "archive"
      ? `retrieval job for archive ${pyRepr(target.label)}`
      : `inventory job for ${pyRepr(target.vault)}`;
  return (
    `timed out after ${describeDuration(schedule.totalMs)} waiting for the ${what}; it is still in progress, ` +
    `run the command again later`
  );
}

function describeDuration(ms: number): string {
  if (ms % HOUR === 0) return ms === HOUR ? "1 hour" : `${ms / HOUR} hours`;
  return ms === MINUTE ? "1 minute" : `${Math.round(ms / MINUTE)} minutes`;
}
