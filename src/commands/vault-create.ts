// `glacier vault create NAME`: CreateVault is idempotent; prints nothing (docs/compatibility.md#commands).
// git-annex's initremote runs it and needs exit 0 when the vault already exists.
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface VaultOptions {
  vault: string;
}

export function parse(raw: Invocation<typeof specs.vaultCreate>): VaultOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  return { vault };
}

export async function run(options: VaultOptions, deps: Deps): Promise<void> {
  const glacier = await deps.glacier();
  await glacier.createVault(options.vault);
}
