// `glacier vault sync [--wait] [--fix] [--max-age HOURS] VAULT` (docs/compatibility.md#commands,
// docs/cache.md#inventory-reconciliation, docs/compatibility.md#jobs): reconcile the cache with an inventory; exit 75
// with glacier-cli's message while the inventory job is pending. Fixed: with --wait on an already pending job, the
// inventory is reconciled once it is ready.
import { PendingError } from "../core/errors.ts";
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { hours } from "./shared/max-age.ts";
import { syncVault, type SyncOptions } from "./shared/sync.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export function parse(raw: Invocation<typeof specs.vaultSync>): SyncOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  return {
    vault,
    wait: raw.flags.wait,
    fix: raw.flags.fix,
    maxAgeHours: hours(raw.flags.maxAge, 24),
  };
}

export async function run(options: SyncOptions, deps: Deps): Promise<void> {
  const outcome = await syncVault(deps, options);
  if (!outcome.synced) throw new PendingError(outcome.message);
}
