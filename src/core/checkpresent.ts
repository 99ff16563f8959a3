// The max-age rule of `archive checkpresent` (docs/cache.md#max-age), shared by the command and the
// git-annex remote. "last_seen means last_seen_upstream if set, otherwise created_here. A value is
// too old if it is missing, or max-age is 0, or it is earlier than now − max_age."
import { pyRepr } from "./py-repr.ts";
import type { CachedArchive } from "./types.ts";

/** glacier-cli's default since commit 0543042: 72 h of INVENTORY_LAG + 8 h (the README's 60 is stale). */
export const DEFAULT_CHECKPRESENT_MAX_AGE_HOURS = 80;

const HOUR = 3600_000;

export type Presence = "present" | "too-old" | "not-found";

type SeenRow = Pick<CachedArchive, "lastSeenUpstream" | "createdHere">;

export function presence(row: SeenRow | undefined, now: number, maxAgeHours: number): Presence {
  if (row === undefined) return "not-found";
  const lastSeen = row.lastSeenUpstream ?? row.createdHere;
  if (lastSeen === null || maxAgeHours <= 0 || lastSeen < now - maxAgeHours * HOUR) return "too-old";
  return "present";
}

/**
 * What checkpresent does next:
 * - print: write the ref and a newline to stdout (present);
 * - sync: run `vault sync` (fix off, wait as given, max age = this max age), then call afterSync;
 * - report: say `message` on stderr unless --quiet; stdout stays empty. Exit 0 in every case.
 */
export type CheckpresentStep = { action: "print" } | { action: "sync" } | { action: "report"; message: string };

/** Step 1 and 2 of 2.5, from the first cache lookup (undefined = not found among live rows). */
export function firstLook(
  ref: string,
  row: SeenRow | undefined,
  now: number,
  maxAgeHours: number,
  wait: boolean,
): CheckpresentStep {
  const seen = presence(row, now, maxAgeHours);
  if (seen === "present") return { action: "print" };
  if (seen === "not-found" && !wait) return { action: "report", message: `archive ${pyRepr(ref)} not found` };
  return { action: "sync" };
}

/**
 * Step 2 and 3 of 2.5, after the sync. `synced` is false when the sync only queued or found a
 * pending inventory job (glacier-cli swallows that RetryConsoleError silently); `row` is then the
 * first lookup's row, otherwise a fresh lookup.
 */
export function afterSync(
  ref: string,
  row: SeenRow | undefined,
  now: number,
  maxAgeHours: number,
  synced: boolean,
): Exclude<CheckpresentStep, { action: "sync" }> {
  const seen = presence(row, now, maxAgeHours);
  if (seen === "present") return { action: "print" };
  if (seen === "not-found") {
    const message = synced
      ? `archive ${pyRepr(ref)} not found, but it may not be in the inventory yet`
      : `archive ${pyRepr(ref)} not found`;
    return { action: "report", message };
  }
  return {
    action: "report",
    message: `archive ${pyRepr(ref)} found, but has not been seen recently enough to consider it present`,
  };
}
