// One writer per download target: two `archive retrieve -o SAME` (or two restores into one DIR) at
// once would otherwise write one temporary file together, and the first to finish would rename
// bytes the other was still writing. The lock is a file beside the target created with O_EXCL (it
// is never followed), holding the writer's pid: a writer killed with kill -9 leaves a lock the next
// run breaks at once, as the cache's lock does (cache/lock.ts). A second writer is refused, not made
// to wait: a download may take hours.
import { WriterLock } from "../cache/lock.ts";
import { FileError, describeSystemError } from "../core/errors.ts";

export function lockTarget(lockPath: string, target: string): () => void {
  let outcome: ReturnType<WriterLock["tryAcquire"]>;
  try {
    outcome = new WriterLock(lockPath).tryAcquire();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw new FileError(target, `cannot lock it for writing: ${describeSystemError(cause)}`, { cause: error });
  }
  if ("release" in outcome) return outcome.release;
  const who = outcome.heldBy !== undefined && Number.isInteger(outcome.heldBy) ? ` (pid ${outcome.heldBy})` : "";
  throw new FileError(
    target,
    `another glacier process${who} is writing this file; not touched (if none is running, remove ${lockPath})`,
  );
}
