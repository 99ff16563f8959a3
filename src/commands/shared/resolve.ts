// Resolving an archive ref against the cache (docs/compatibility.md#archive-refs): exactly one live row, a clear
// error listing the ids when a name is ambiguous, `archive 'X' not found` when there is none. Where the backend
// answers presence at once (docs/backends.md#capabilities), a name the cache does not know is asked of it.
import { compareArchiveListRows } from "../../core/archive-list.ts";
import { notFoundMessage, singleMatch } from "../../core/archive-ref.ts";
import { ConsoleError } from "../../core/errors.ts";
import { descriptionForName } from "../../core/names.ts";
import type { CachedArchive } from "../../core/types.ts";
import type { ArchiveCache } from "../../cache/archive-cache.ts";
import type { BackendPort } from "../../glacier/port.ts";

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

/**
 * The id of the archive a ref names: the cache's row or, when the cache has none and the backend's
 * presence is authoritative, the archive the service holds under that name now (an upload from
 * another machine, whose cache recorded it). The port is opened only then.
 */
export async function resolveArchiveId(
  cache: ArchiveCache,
  port: () => Promise<BackendPort>,
  vault: string,
  ref: string,
): Promise<string> {
  const archive = await findArchive(cache, vault, ref);
  if (archive) return archive.id;
  const glacier = await port();
  if (glacier.capabilities(vault).presenceIsAuthoritative && glacier.findArchive) {
    const found = await glacier.findArchive(vault, descriptionForName(ref));
    if (found) return found.archiveId;
  }
  throw new ConsoleError(notFoundMessage(ref));
}
