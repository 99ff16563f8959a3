// Shared set-up for the cache tests: a namespace, a clock and an opener that collects warnings.
import { ManualClock } from "../../src/core/clock.ts";
import { openCache, type ArchiveCache, type CacheNamespace } from "../../src/cache/index.ts";

export const US_EAST: CacheNamespace = { region: "us-east-1" };
export const EU_WEST: CacheNamespace = { region: "eu-west-1" };

/** A 138-character archive id, like Glacier's. */
export function archiveId(n: number): string {
  return `${"A".repeat(128)}${String(n).padStart(10, "0")}`;
}

export function hashOf(n: number): string {
  return n.toString(16).padStart(64, "0");
}

export interface Opened {
  cache: ArchiveCache;
  warnings: string[];
  clock: ManualClock;
}

export async function open(
  dir: string,
  options: { namespace?: CacheNamespace; clock?: ManualClock; checkpointBytes?: number; lockTimeoutMs?: number } = {},
): Promise<Opened> {
  const warnings: string[] = [];
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 1));
  const cache = await openCache({
    dir,
    clock,
    namespace: options.namespace ?? US_EAST,
    warn: (m) => warnings.push(m),
    ...(options.checkpointBytes === undefined ? {} : { checkpointBytes: options.checkpointBytes }),
    ...(options.lockTimeoutMs === undefined ? {} : { lock: { timeoutMs: options.lockTimeoutMs } }),
  });
  return { cache, warnings, clock };
}
