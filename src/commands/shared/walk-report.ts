// What a tree walk left out, said the same way by multi-upload and reconcile (docs/restore.md): each
// problem as an error line, each file set apart on purpose (hard links after the first, FIFOs,
// sockets, devices) as one info line, and what --exclude left out as a count.
import { plural } from "../../core/human-units.ts";
import type { Deps } from "../deps.ts";
import type { WalkResult } from "../../platform/tree-walk.ts";

export function reportWalk(deps: Deps, walk: WalkResult): void {
  for (const problem of walk.problems) deps.output.error(`${problem.path}: ${problem.reason}`);
  for (const skipped of walk.skipped) deps.output.info(`skipped ${skipped.path}: ${skipped.reason}`);
  if (walk.excluded > 0)
    deps.output.info(`${plural(walk.excluded, "file or folder", "files or folders")} excluded by --exclude`);
}
