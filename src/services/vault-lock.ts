// One writer of a vault's tree at a time: two `vault reconcile --commit` (or prune) on one vault at
// once would both upload the same changes and leave two live archives of a name, and two manifests
// of one snapshot. The second refuses in one line instead of waiting: a reconcile can run for hours.
// The lock file sits in the cache folder and holds the owner's pid, so a killed owner (kill -9) does
// not block the next run (cache/lock.ts breaks a lock whose process is gone).
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ensureDir } from "../cache/files.ts";
import { WriterLock, lockHolderPid } from "../cache/lock.ts";
import { namespaceKey } from "../cache/namespace.ts";
import { ConsoleError, GlacierCliError } from "../core/errors.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import { cacheNamespace } from "./backend-settings.ts";

export async function lockVault(cacheDir: string, settings: BackendSettings, vault: string): Promise<() => void> {
  const id = createHash("sha256")
    .update(`${namespaceKey(cacheNamespace(settings))}\0${vault}`)
    .digest("hex")
    .slice(0, 32);
  const dir = join(cacheDir, "vault-locks");
  ensureDir(dir);
  const path = join(dir, `${id}.lock`);
  try {
    return await new WriterLock(path, { timeoutMs: 0, staleMs: Number.POSITIVE_INFINITY }).acquire();
  } catch (error) {
    if (!(error instanceof GlacierCliError)) throw error;
    const pid = lockHolderPid(path);
    throw new ConsoleError(
      `vault '${vault}' is being changed by another glacier (process ${pid ?? "?"}); try again when it has finished`,
      { cause: error },
    );
  }
}
