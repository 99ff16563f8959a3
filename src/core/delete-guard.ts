// Guarded deletes: `vault reconcile --delete-removed` against an empty source (an unmounted backup
// disk's mount point) would take every path out of the backup. Refused when the source has no file,
// or when more than half of the paths under the prefix would go, unless --max-delete N allows as many.
import type { ArchivePrefix } from "./archive-prefix.ts";

export interface DeleteGuardInput {
  dir: string;
  prefix: ArchivePrefix;
  /** Files found in the source. */
  localFiles: number;
  /** Paths with a live archive under the prefix. */
  livePaths: number;
  /** Paths with a live archive and no file, which --delete-removed takes out of the backup. */
  removedPaths: number;
  maxDelete?: number;
}

/** The one-line refusal, or undefined when the removal may go ahead. */
export function deleteGuard(input: DeleteGuardInput): string | undefined {
  const n = input.removedPaths;
  if (n === 0) return undefined;
  const under = input.prefix === "" ? "in the vault" : `under '${input.prefix}'`;
  if (input.maxDelete !== undefined) {
    return n > input.maxDelete
      ? `refusing to remove ${n} paths with --delete-removed: more than --max-delete ${input.maxDelete}`
      : undefined;
  }
  if (input.localFiles === 0) {
    return (
      `${input.dir} has no files: refusing to remove all ${n} paths ${under} with --delete-removed (is the ` +
      `disk mounted?); --max-delete ${n} allows it`
    );
  }
  if (2 * n > input.livePaths) {
    return (
      `refusing to remove ${n} of ${input.livePaths} paths ${under} with --delete-removed (more than half); ` +
      `--max-delete ${n} allows it`
    );
  }
  return undefined;
}
