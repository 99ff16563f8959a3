// Resolving an archive ref against the cache (docs/compatibility.md#archive-refs): exactly one live row, a clear
// error listing the ids when a name is ambiguous, `archive 'X' not found` when there is none.
import { compareArchiveListRows } from "../../core/archive-list.ts";
import { notFoundMessage, singleMatch } from "../../core/archive-ref.ts";
import { ConsoleError } from "../../core/errors.ts";
import type { CachedArchive } from "../../core/types.ts";
import type { ArchiveCache } from "../../cache/archive-cache.ts";

export async function findArchive(cache: ArchiveCache, vault: string, ref: string): Promise<CachedArchive | undefined> {
  // Sorted as `archive list --force-ids` prints them, so the ids in the message read the same.
  const matches = (await cache.lookup(vault, ref)).sort(compareArchiveListRows);
  return singleMatch(ref, matches);
}

export async function resolveArchive(cache: ArchiveCache, vault: string, ref: string): Promise<CachedArchive> {
  const archive = await findArchive(cache, vault, ref);
  if (!archive) throw new ConsoleError(notFoundMessage(ref));
  return archive;
}
