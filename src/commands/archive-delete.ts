// `glacier archive delete VAULT NAME` (docs/compatibility.md#commands): resolve in the cache (no API call when
// not found, but for a backend whose presence is authoritative: resolve.ts), DeleteArchive, mark the row
// deleted; prints nothing.
import { assertVaultName } from "../core/vault-name.ts";
import type { Deps } from "./deps.ts";
import { resolveArchiveId } from "./shared/resolve.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface ArchiveDeleteOptions {
  vault: string;
  refs: string[];
}

export function parse(raw: Invocation<typeof specs.archiveDelete>): ArchiveDeleteOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  return { vault, refs: [...raw.args[1]] };
}

export async function run(options: ArchiveDeleteOptions, deps: Deps): Promise<void> {
  const cache = await deps.cache();
  for (const ref of options.refs) {
    const id = await resolveArchiveId(cache, () => deps.glacier(), options.vault, ref);
    const glacier = await deps.glacier();
    await glacier.deleteArchive(options.vault, id);
    await cache.markDeleted(options.vault, id);
  }
}
