// A cache row for the plan tests: an archive of vault "v" of one byte, of which nothing else is
// known (no tree hash, dates, or uploads or deletions by this machine) unless a test says so.
import type { CachedArchive } from "../../src/core/types.ts";

export function cachedArchive(id: string, name: string | null, over: Partial<CachedArchive> = {}): CachedArchive {
  return {
    id,
    vault: "v",
    name,
    treeHash: null,
    size: 1,
    lastSeenUpstream: null,
    createdHere: null,
    deletedHere: null,
    creationDate: null,
    ...over,
  };
}
