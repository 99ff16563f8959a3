// The file tree of `archive multi-upload` and `vault reconcile` (issue 6 items 1 and 10). Unlike the
// fork (glacier-cli.md 4.2), names are paths relative to DIR (never basenames), the order is sorted
// (never the file system's), and a file that cannot be listed is a problem reported beside the
// results, not the end of the run. As in the fork: names starting with "." are skipped (unless
// includeHidden), symlinked folders are not entered, and symlinked files are followed.
import { readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { join } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { withPrefix, type ArchivePrefix } from "../core/archive-prefix.ts";
import { ConsoleError, FileError, describeSystemError } from "../core/errors.ts";
import { excludeMatcher, type ExcludeMatcher } from "../core/exclude.ts";
import { descriptionForName } from "../core/names.ts";

export interface WalkOptions {
  /** Normalized (core/archive-prefix.ts). */
  prefix?: ArchivePrefix;
  includeHidden?: boolean;
  exclude?: readonly string[];
}

export interface WalkEntry {
  /** The archive name: prefix + path relative to DIR with "/" separators. */
  name: string;
  /** DIR joined with the relative path (relative when DIR is). */
  path: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** A file or folder that is left out, and why, for the caller to report while the rest go on. */
export interface WalkProblem {
  path: string;
  reason: string;
}

export interface WalkResult {
  /** Sorted by name. */
  entries: WalkEntry[];
  /** Errors (unreadable folders, symlink loops, dangling links, unusable names), in walk order. */
  problems: WalkProblem[];
  /** Left out on purpose, to mention: symlinks to folders, FIFOs, sockets, devices. */
  skipped: WalkProblem[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Walk {
  excluded: ExcludeMatcher;
  includeHidden: boolean;
  prefix: ArchivePrefix;
  /** name -> first path that took it (several DIRs may hold the same relative path). */
  taken: Map<string, string>;
  result: WalkResult;
}

/** Lists the files under each DIR. A DIR that is missing or not a folder is an error for the run. */
export async function walkTrees(dirs: readonly string[], options: WalkOptions = {}): Promise<WalkResult> {
  const walk: Walk = {
    excluded: excludeMatcher(options.exclude ?? []),
    includeHidden: options.includeHidden ?? false,
    prefix: options.prefix ?? "",
    taken: new Map(),
    result: { entries: [], problems: [], skipped: [] },
  };
  for (const dir of dirs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      throw new FileError(dir, describeSystemError(error), { cause: error });
    }
    if (!isDirectory) throw new FileError(dir, "Not a directory");
    await walkFolder(walk, dir, "");
  }
  walk.result.entries.sort((a, b) => byName(a.name, b.name));
  return walk.result;
}

// Synchronous stat calls, one folder at a time with the event loop served in between: 10,000
// statSync calls take about 50 ms here, the same through the libuv pool (fs/promises) about 400 ms,
// and `vault reconcile --trust-mtime` of 10,000 files has 1.5 s in all (issue 6 item 9).
async function walkFolder(walk: Walk, folder: string, relative: string): Promise<void> {
  await yieldToEventLoop();
  let dirents: Dirent<Buffer>[];
  try {
    dirents = readdirSync(folder, { withFileTypes: true, encoding: "buffer" });
  } catch (error) {
    walk.result.problems.push({ path: folder, reason: describeSystemError(error) });
    return;
  }
  const children: { name: string; dirent: Dirent<Buffer> }[] = [];
  for (const dirent of dirents) {
    let name: string;
    try {
      name = utf8.decode(dirent.name);
    } catch {
      walk.result.problems.push({ path: join(folder, dirent.name.toString("utf8")), reason: "file name is not valid UTF-8" });
      continue;
    }
    if (!walk.includeHidden && name.startsWith(".")) continue;
    children.push({ name, dirent });
  }
  children.sort((a, b) => byName(a.name, b.name));
  // Files of a folder first, in name order, then its subfolders in name order.
  const folders: Extract<Outcome, { kind: "folder" }>[] = [];
  for (const child of children) {
    const outcome = visit(walk, folder, relative, child.name, child.dirent);
    if (outcome.kind === "folder") folders.push(outcome);
    else if (outcome.kind === "problem") walk.result.problems.push(outcome.problem);
    else if (outcome.kind === "skipped") walk.result.skipped.push(outcome.problem);
    else if (outcome.kind === "file") record(walk, outcome.entry);
  }
  for (const next of folders) await walkFolder(walk, next.path, next.relative);
}

type Outcome =
  | { kind: "folder"; path: string; relative: string }
  | { kind: "file"; entry: WalkEntry }
  | { kind: "problem" | "skipped"; problem: WalkProblem }
  | { kind: "excluded" };

function visit(walk: Walk, folder: string, parent: string, name: string, dirent: Dirent<Buffer>): Outcome {
  const path = join(folder, name);
  const relative = parent === "" ? name : `${parent}/${name}`;
  if (dirent.isDirectory()) return walk.excluded(relative, true) ? { kind: "excluded" } : { kind: "folder", path, relative };
  if (dirent.isFile() && walk.excluded(relative, false)) return { kind: "excluded" };
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    // ELOOP: a symlink loop; ENOENT: a dangling symlink or a file removed meanwhile.
    return { kind: "problem", problem: { path, reason: describeSystemError(error) } };
  }
  if (walk.excluded(relative, stats.isDirectory())) return { kind: "excluded" };
  if (stats.isDirectory()) return { kind: "skipped", problem: { path, reason: "symbolic link to a folder, not followed" } };
  if (!stats.isFile()) return { kind: "skipped", problem: { path, reason: "not a regular file" } };
  const entry = { name: withPrefix(walk.prefix, relative), path, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, dev: stats.dev };
  try {
    descriptionForName(entry.name);
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    return { kind: "problem", problem: { path, reason: error.message } };
  }
  return { kind: "file", entry };
}

function record(walk: Walk, entry: WalkEntry): void {
  const first = walk.taken.get(entry.name);
  if (first !== undefined) {
    walk.result.problems.push({ path: entry.path, reason: `same archive name ${entry.name} as ${first}` });
    return;
  }
  walk.taken.set(entry.name, entry.path);
  walk.result.entries.push(entry);
}
