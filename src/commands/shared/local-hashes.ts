// Tree hashes of a local tree for reconcile: hashed on worker threads, one per
// core; with --trust-mtime a file whose size, mtime, ctime and inode match its recorded state keeps
// its recorded hash. A file that changes while it is read is hashed again, and reported if it keeps
// changing. "Changes" means any of size, mtime, ctime, inode and device differ after the read: a
// writer that restores the mtime (cp -p, rsync -t, touch -r) still moves the ctime, and a hash
// recorded with the later ctime but of the earlier bytes would be trusted by every later run.
import { stat } from "node:fs/promises";
import { describeSystemError } from "../../core/errors.ts";
import type { LocalFile } from "../../core/reconcile-plan.ts";
import type { Deps } from "../deps.ts";
import type { HashState } from "../../cache/hash-state.ts";
import { withTextPath } from "../../platform/byte-path.ts";
import { progressReporter } from "../../platform/progress.ts";
import type { WalkEntry } from "../../platform/tree-walk.ts";

export interface HashedFile extends LocalFile {
  path: string;
  fsPath?: Buffer;
  treeHash: string;
}

export interface HashOutcome {
  files: HashedFile[];
  problems: { path: string; reason: string }[];
  hashedBytes: number;
  trusted: number;
}

const ATTEMPTS = 3;

interface FileIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** The file was not written, replaced or touched between the two stats. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

export async function hashLocalFiles(
  deps: Deps,
  entries: readonly WalkEntry[],
  state: HashState,
  trustMtime: boolean,
): Promise<HashOutcome> {
  const outcome: HashOutcome = { files: [], problems: [], hashedBytes: 0, trusted: 0 };
  const todo: WalkEntry[] = [];
  for (const entry of entries) {
    const known = trustMtime ? state.trusted(entry.name, entry) : undefined;
    if (known === undefined) todo.push(entry);
    else {
      outcome.trusted++;
      outcome.files.push({
        name: entry.name,
        path: entry.path,
        ...(entry.fsPath ? { fsPath: entry.fsPath } : {}),
        size: entry.size,
        mtimeMs: entry.mtimeMs,
        treeHash: known,
      });
    }
  }
  const total = todo.reduce((sum, e) => sum + e.size, 0);
  const progress = progressReporter(deps.output, `hashing ${todo.length} files`);
  let done = 0;
  const pool = deps.hashPool();
  if (todo.length > 0) pool.warm();
  await Promise.all(
    todo.map(async (entry) => {
      let before: FileIdentity = entry;
      for (let attempt = 1; ; attempt++) {
        try {
          const [digest, after] = await withTextPath(
            entry.path,
            entry.fsPath,
            async (path) => [await pool.hashFile(path), await stat(path)] as const,
          );
          if (digest.bytes === before.size && sameFile(before, after)) {
            state.record(entry.name, after, digest.treeHash);
            outcome.files.push({
              name: entry.name,
              path: entry.path,
              ...(entry.fsPath ? { fsPath: entry.fsPath } : {}),
              size: digest.bytes,
              mtimeMs: after.mtimeMs,
              treeHash: digest.treeHash,
            });
            outcome.hashedBytes += digest.bytes;
            progress.update((done += digest.bytes), total);
            return;
          }
          if (attempt >= ATTEMPTS) {
            outcome.problems.push({
              path: entry.path,
              reason: "changed while it was read, every time; left out of this run",
            });
            return;
          }
          deps.output.warn(`${entry.path}: changed while it was read; hashing it again`);
          before = after;
        } catch (error) {
          const reason = (error as { reason?: string }).reason ?? describeSystemError(error);
          outcome.problems.push({ path: entry.path, reason });
          return;
        }
      }
    }),
  );
  progress.done();
  outcome.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return outcome;
}
