// `glacier vault delete NAME` (new): Glacier deletes a vault only when it held no archives at its
// last inventory and nothing was written since; its refusal is reported as one line.
import type { Deps } from "../runtime/deps.ts";
import type { VaultOptions } from "./vault-create.ts";

export { parse } from "./vault-create.ts";

export async function run(options: VaultOptions, deps: Deps): Promise<void> {
  const glacier = await deps.glacier();
  await glacier.deleteVault(options.vault);
}
