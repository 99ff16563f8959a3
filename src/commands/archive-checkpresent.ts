// `glacier archive checkpresent [--wait] [--quiet] [--max-age HOURS] VAULT NAME` (docs/cache.md#max-age):
// prints NAME when the archive was seen (inventory or upload) within max-age hours, otherwise tries
// a vault sync first. Always exit 0: absence shows only as empty stdout (git-annex relies on it).
import { annexKeysAfterPrefix } from "../core/annex-key.ts";
import {
  afterSync,
  firstLook,
  DEFAULT_CHECKPRESENT_MAX_AGE_HOURS,
  type CheckpresentStep,
} from "../core/checkpresent.ts";
import { descriptionForName } from "../core/names.ts";
import { pyRepr } from "../core/py-repr.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { hours } from "./shared/max-age.ts";
import { findArchive } from "./shared/resolve.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface CheckpresentOptions {
  vault: string;
  ref: string;
  wait: boolean;
  quiet: boolean;
  maxAgeHours: number;
}

export function parse(raw: Invocation<typeof specs.archiveCheckpresent>): CheckpresentOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  return {
    vault,
    ref: raw.args[1],
    wait: raw.flags.wait,
    quiet: raw.flags.quiet,
    maxAgeHours: hours(raw.flags.maxAge, DEFAULT_CHECKPRESENT_MAX_AGE_HOURS),
  };
}

export async function run(options: CheckpresentOptions, deps: Deps): Promise<void> {
  // A backend that answers presence at once (docs/backends.md#capabilities) is asked, not the cache.
  const glacier = await deps.glacier();
  if (glacier.capabilities(options.vault).presenceIsAuthoritative && glacier.findArchive) {
    const found = await glacier.findArchive(options.vault, descriptionForName(options.ref));
    if (found) await print(deps, options.ref);
    else if (!options.quiet) deps.output.error(`archive ${pyRepr(options.ref)} not found`);
    return;
  }
  const cache = await deps.cache();
  const row = await findArchive(cache, options.vault, options.ref);
  let step: CheckpresentStep = firstLook(options.ref, row, deps.clock.now(), options.maxAgeHours, options.wait);
  if (step.action === "sync") {
    // "A RetryConsoleError from the sync (job queued or pending) is silently swallowed."
    // Loaded here: git-annex runs checkpresent once per key, and a cached answer needs no parser.
    const { syncVault } = await import("./shared/sync.ts");
    const outcome = await syncVault(deps, {
      vault: options.vault,
      wait: options.wait,
      fix: false,
      maxAgeHours: options.maxAgeHours,
    });
    const again = outcome.synced ? await findArchive(cache, options.vault, options.ref) : row;
    step = afterSync(options.ref, again, deps.clock.now(), options.maxAgeHours, outcome.synced);
  }
  if (step.action === "print") await print(deps, options.ref);
  else if (!options.quiet) deps.output.error(step.message);
}

// With git-annex's fileprefix=, git-annex looks for its key without the prefix among the lines.
async function print(deps: Deps, ref: string): Promise<void> {
  await deps.output.data([ref, ...annexKeysAfterPrefix(ref)].map((line) => `${line}\n`).join(""));
}
