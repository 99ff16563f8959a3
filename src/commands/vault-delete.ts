// `glacier vault delete NAME` (new): Glacier deletes a vault only when it held no archives at its
// last inventory and nothing was written since (docs/glacier-api.md); its refusal is reported as
// one line that says which half of that rule failed and when to try again.
import { ServiceError, VaultNotEmptyError } from "../core/errors.ts";
import { pyRepr } from "../core/py-repr.ts";
import type { VaultDescription } from "../core/types.ts";
import type { Deps } from "./deps.ts";
import type { VaultOptions } from "./vault-create.ts";

export { parse } from "./vault-create.ts";

export async function run(options: VaultOptions, deps: Deps): Promise<void> {
  const glacier = await deps.glacier();
  try {
    await glacier.deleteVault(options.vault);
  } catch (error) {
    if (!(error instanceof VaultNotEmptyError)) throw error;
    const described = await glacier.describeVault(options.vault).catch(() => undefined);
    throw new ServiceError(refusal(options.vault, described), error.code, { cause: error });
  }
}

function refusal(vault: string, described: VaultDescription | undefined): string {
  const rule =
    `Glacier refused to delete vault ${pyRepr(vault)}: it deletes a vault only when its last inventory listed ` +
    `no archive and nothing was written to it since`;
  if (described?.lastInventoryDate === undefined) {
    return (
      `${rule}; it has no inventory yet (Glacier takes one about a day after the first upload): delete its ` +
      `archives, then try again a day after the last change`
    );
  }
  const date = new Date(described.lastInventoryDate).toISOString().replace(/\.000Z$/, "Z");
  if (described.numberOfArchives > 0) {
    return (
      `${rule}; its last inventory (${date}) lists ${described.numberOfArchives} archives: delete any still ` +
      `there ('glacier archive list ${vault}', 'glacier archive delete'), then try again a day after the last ` +
      `deletion, once the next inventory shows the vault empty`
    );
  }
  return (
    `${rule}; it was written to after its last inventory (${date}): try again a day after the last change, ` +
    `once the next inventory shows the vault empty`
  );
}
