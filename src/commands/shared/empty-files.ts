// Glacier cannot store an empty archive (docs/glacier-api.md: archives are 1 byte ... 40 TB), yet
// trees have empty files (a sparsebundle's `token`). A tree command records them in the tree record
// and the manifest instead (core/tree-manifest.ts), says so in one info line, and uploads the rest;
// a single `archive upload` of an empty file is still an error.
import { plural } from "../../core/human-units.ts";
import type { Deps } from "../deps.ts";
import type { WalkEntry } from "../../platform/tree-walk.ts";

export function withoutEmptyFiles(deps: Deps, entries: readonly WalkEntry[]): WalkEntry[] {
  const empty = entries.filter((e) => e.size === 0);
  if (empty.length === 0) return [...entries];
  const names = empty
    .slice(0, 5)
    .map((e) => e.name)
    .join(", ");
  deps.output.info(
    `${plural(empty.length, "empty file")} recorded without an archive (Glacier cannot store an empty ` +
      `archive): ${names}${empty.length > 5 ? ", ..." : ""}`,
  );
  return entries.filter((e) => e.size > 0);
}
