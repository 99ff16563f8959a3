// Vault Lock and provisioned capacity on the pure model (docs/glacier-api.md#operations).
import { GlacierApiError, invalid, notFound } from "./api-error.ts";
import { newShortId } from "./ids.ts";
import { type ModelConfig, type RegionState, type VaultLock, type VaultRecord, vaultArn } from "./state.ts";
import { isoMillis } from "./time.ts";

const DAY = 86_400_000;

/** The vault's lock, with an InProgress lock past its 24 hours treated as gone. */
export function currentLock(vault: VaultRecord, now: number): VaultLock | null {
  const lock = vault.lock ?? null;
  if (lock && lock.state === "InProgress" && lock.expirationDate <= now) return null;
  return lock;
}

// "InitiateVaultLock ... InProgress for 24 h; 403 if already InProgress".
export function initiateLock(config: ModelConfig, vault: VaultRecord, now: number, policy: unknown): string {
  if (typeof policy !== "string") throw invalid("Policy must be a string holding the lock policy document");
  const lock = currentLock(vault, now);
  if (lock?.state === "InProgress")
    throw new GlacierApiError(
      "AccessDeniedException",
      `Vault lock is already in InProgress state for: ${vaultArn(config, vault.name)}`,
    );
  if (lock?.state === "Locked")
    throw new GlacierApiError("AccessDeniedException", `Vault is already locked: ${vaultArn(config, vault.name)}`);
  vault.lock = { policy, state: "InProgress", lockId: newShortId(), creationDate: now, expirationDate: now + DAY };
  return vault.lock.lockId;
}

export function completeLock(config: ModelConfig, vault: VaultRecord, now: number, lockId: string): void {
  const lock = currentLock(vault, now);
  if (lock?.state === "Locked" && lock.lockId === lockId) return;
  // The API reference: "If the vault lock is in the Locked state ... and the lockId doesn't match,
  // the operation returns an AccessDeniedException error."
  if (lock?.state === "Locked")
    throw new GlacierApiError(
      "AccessDeniedException",
      `Vault is already locked and ${lockId} is not its lock ID: ${vaultArn(config, vault.name)}`,
    );
  if (!lock || lock.lockId !== lockId)
    throw invalid(`The lock ID is not valid: ${lockId} for ${vaultArn(config, vault.name)}`);
  lock.state = "Locked";
}

/** "AbortVaultLock": removes an InProgress lock; a Locked vault stays locked (immutable). */
export function abortLock(config: ModelConfig, vault: VaultRecord, now: number): void {
  if (currentLock(vault, now)?.state === "Locked")
    throw new GlacierApiError("AccessDeniedException", `Vault is locked: ${vaultArn(config, vault.name)}`);
  vault.lock = null;
}

export function describeLock(config: ModelConfig, vault: VaultRecord, now: number): Record<string, unknown> {
  const lock = currentLock(vault, now);
  if (!lock) throw notFound(`No vault lock policy is set for: ${vaultArn(config, vault.name)}`);
  return {
    CreationDate: isoMillis(lock.creationDate),
    ExpirationDate: lock.state === "InProgress" ? isoMillis(lock.expirationDate) : null,
    Policy: lock.policy,
    State: lock.state,
  };
}

// Provisioned capacity: "one month, 31st -> last day of next month"; at most 2 units per account.
const MAX_UNITS = 2;

function oneMonthLater(ms: number): number {
  const d = new Date(ms);
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

export function purchaseCapacity(state: RegionState, now: number): string {
  const active = (state.capacity ?? []).filter((c) => c.expiration > now);
  if (active.length >= MAX_UNITS)
    throw new GlacierApiError("LimitExceededException", `You can have at most ${MAX_UNITS} provisioned capacity units`);
  const unit = { id: newShortId(), start: now, expiration: oneMonthLater(now) };
  state.capacity = [...active, unit];
  return unit.id;
}

export function listCapacity(state: RegionState, now: number) {
  return {
    ProvisionedCapacityList: (state.capacity ?? [])
      .filter((c) => c.expiration > now)
      .map((c) => ({ CapacityId: c.id, StartDate: isoMillis(c.start), ExpirationDate: isoMillis(c.expiration) })),
  };
}
