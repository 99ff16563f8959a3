// One upload of a name at a time across every process sharing the cache (git-annex runs several
// remote processes, and two clones may share one cache): a lock file per (namespace, vault, name)
// under `locks/`, created O_EXCL like the writer lock and held for the whole upload. Its holder
// (pid, host, process start) is checked like the writer lock's, so a holder killed with kill -9
// frees the name at once; a live one is waited for. The file name is a hash: names may hold any
// character and be 1,024 long.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ensureDir } from "./files.ts";
import { WriterLock, type Holder } from "./lock.ts";

export interface NameLockOptions {
  /** Called once when another live process holds the name, before waiting for it. */
  onWait?: (holder: Holder) => void | Promise<void>;
  /** Give up after this long (default 6 hours: an upload of a large file takes that). */
  timeoutMs?: number;
}

export async function lockName(
  dir: string,
  namespace: string,
  vault: string,
  name: string,
  options: NameLockOptions = {},
): Promise<() => void> {
  const locks = join(dir, "locks");
  ensureDir(locks);
  const file = createHash("sha256").update(`${namespace}\0${vault}\0${name}`).digest("hex").slice(0, 40);
  const lock = new WriterLock(join(locks, file), {
    timeoutMs: options.timeoutMs ?? 6 * 3_600_000,
    // Held across network calls for as long as the upload runs: never stale by age, only by owner.
    staleMs: Number.POSITIVE_INFINITY,
    maxPollMs: 250,
    ...(options.onWait ? { onWait: options.onWait } : {}),
    timeoutMessage: (holder) =>
      `an upload of ${name} by process ${holder?.pid ?? "?"} on ${holder?.host ?? "?"} is still running; try ` +
      `again when it has finished`,
  });
  return lock.acquire();
}
