// Reconcile without the --prefix the folder was uploaded under plans to upload everything again and
// reports every archive as missing (docs/restore.md "Prefixes"). When the plan looks like that, this
// finds the prefix under which the local names are archives, for a one-line hint.
import type { ArchivePrefix } from "./archive-prefix.ts";

/**
 * The prefix P (ending in "/") under which the most local relative names are archive names, or
 * undefined when none is. `local` are names relative to DIR; `archives` are live archive names.
 */
export function guessPrefix(local: readonly string[], archives: readonly string[]): ArchivePrefix | undefined {
  const names = new Set(local);
  const votes = new Map<string, number>();
  for (const archive of archives) {
    for (let i = archive.indexOf("/"); i !== -1; i = archive.indexOf("/", i + 1)) {
      if (names.has(archive.slice(i + 1))) {
        const prefix = archive.slice(0, i + 1);
        votes.set(prefix, (votes.get(prefix) ?? 0) + 1);
      }
    }
  }
  let best: [string, number] | undefined;
  for (const entry of votes)
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best?.[0];
}
