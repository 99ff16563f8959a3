// `glacier archive multi-delete VAULT NAME...` (the fork's command, docs/compatibility.md#fork-commands): for each
// ref in order, `Deleting archive <name>`, DeleteArchive, mark deleted; a missing name stops the run
// (earlier deletions stay done); at the end `<n> archives deleted`.
import { plural } from "../core/human-units.ts";
import type { Deps } from "./deps.ts";
import { parse as parseDelete, type ArchiveDeleteOptions } from "./archive-delete.ts";
import { resolveArchiveId } from "./shared/resolve.ts";

export const parse = parseDelete;

export async function run(options: ArchiveDeleteOptions, deps: Deps): Promise<void> {
  const cache = await deps.cache();
  let deleted = 0;
  try {
    for (const ref of options.refs) {
      const id = await resolveArchiveId(cache, () => deps.glacier(), options.vault, ref);
      deps.output.info(`Deleting archive ${ref}`);
      const glacier = await deps.glacier();
      await glacier.deleteArchive(options.vault, id);
      await cache.markDeleted(options.vault, id);
      deleted++;
    }
  } finally {
    deps.output.info(`${plural(deleted, "archive")} deleted`);
  }
}
