// The cross-process writer lock: a lock named at a fixed path holding "pid host time start".
// It is a symbolic link whose target is that text, as Emacs does for its lock files: symlink(2)
// creates the name and its content in one step and fails with EEXIST when the name exists, so a
// writer killed at any instant leaves either no lock or a complete one. A file opened with O_EXCL
// and written afterwards leaves an empty lock when killed in between, which nobody can attribute.
// Filesystems without symbolic links (FAT, some network shares, Windows without the privilege) get
// that O_EXCL file, and an empty one there counts as stale after a second.
// Hand-written rather than proper-lockfile because that library detects staleness by mtime age only
// (at least seconds, with a refresh timer in every holder), whereas a writer killed
// with kill -9 must be recovered at once: on the same host a dead pid proves the lock stale.
// The lock is held for milliseconds (catch up, apply, append, fsync), never across network calls,
// and it is the only lock, so there is no lock ordering and no deadlock.
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { CacheError } from "../core/errors.ts";
import { FILE_MODE, cacheFailure } from "./files.ts";
import { ownerState, pidAlive, processOwner } from "./owner.ts";

export interface LockOptions {
  /** Give up waiting after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whatever its pid (other host, reused pid). Default 10 min. */
  staleMs?: number;
  /** Longest pause between two attempts (default 50 ms). */
  maxPollMs?: number;
  /** Called once when the lock is found held by a live process, before waiting for it. */
  onWait?: (holder: Holder) => void | Promise<void>;
  /** The message when waiting gives up. */
  timeoutMessage?: (holder: Holder | undefined, path: string) => string;
}

export interface Holder {
  pid: number;
  host: string;
  /** The holder's process start time (owner.ts), "" when not recorded. */
  start: string;
  ino: number;
  ageMs: number;
  raw: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const st = lstatSync(path);
    const raw = st.isSymbolicLink() ? readlinkSync(path) : readFileSync(path, "utf8");
    const [pid, host, , start] = raw.split(" ");
    return { pid: Number(pid), host: host ?? "", start: start ?? "", ino: st.ino, ageMs: Date.now() - st.mtimeMs, raw };
  } catch {
    return undefined;
  }
}

// Error codes of symlink(2) on a filesystem or platform that has no symbolic links.
const NO_SYMLINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EINVAL"]);

function tryCreate(path: string): boolean {
  const self = processOwner();
  const text = `${self.pid} ${self.host} ${Date.now()} ${self.start}`.trimEnd();
  try {
    symlinkSync(text, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_SYMLINKS.has(code)) throw cacheFailure("lock the archive cache", path, error);
  }
  return tryCreateFile(path, text);
}

function tryCreateFile(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw cacheFailure("lock the archive cache", path, error);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The process id written in a lock file, when one can be read. */
export function lockHolderPid(path: string): number | undefined {
  const pid = readHolder(path)?.pid;
  return pid !== undefined && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export class WriterLock {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #staleMs: number;
  readonly #options: LockOptions;

  constructor(path: string, options: LockOptions = {}) {
    this.#path = path;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#staleMs = options.staleMs ?? 600_000;
    this.#options = options;
  }

  /** Waits for the lock; resolves to its release function. */
  async acquire(): Promise<() => void> {
    const deadline = Date.now() + this.#timeoutMs;
    let told = false;
    for (let wait = 1; ; wait = Math.min(wait * 2, this.#options.maxPollMs ?? 50)) {
      if (tryCreate(this.#path))
        return () => {
          rmSync(this.#path, { force: true });
        };
      const holder = readHolder(this.#path);
      if (holder && this.#stale(holder) && this.#breakStale(holder)) continue;
      if (Date.now() > deadline) {
        const message = this.#options.timeoutMessage?.(holder, this.#path);
        throw new CacheError(
          message ??
            `the archive cache is locked by process ${holder?.pid ?? "?"} (${this.#path}); is another glacier stuck?`,
        );
      }
      if (holder && !told && this.#options.onWait) {
        told = true;
        await this.#options.onWait(holder);
      }
      await delay(wait);
    }
  }

  /**
   * One attempt, no waiting (a stale lock is broken first): the release function, or the pid of the
   * live holder. Used by downloads to lock their target file, where a second writer must not wait
   * for a transfer of hours but be told at once.
   */
  tryAcquire(): { release: () => void } | { heldBy: number | undefined } {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryCreate(this.#path))
        return {
          release: () => {
            rmSync(this.#path, { force: true });
          },
        };
      const holder = readHolder(this.#path);
      if (!(holder && this.#stale(holder) && this.#breakStale(holder))) return { heldBy: holder?.pid };
    }
    return { heldBy: readHolder(this.#path)?.pid };
  }

  #stale(h: Holder): boolean {
    if (h.ageMs > this.#staleMs) return true;
    // A lock file (no symbolic links here) created but not yet written: a holder killed in between
    // leaves it empty for good.
    if (h.raw === "") return h.ageMs > 1000;
    return h.host === hostname() && h.pid !== process.pid && ownerState(h) === "gone";
  }

  // Two processes may judge the same lock stale; a second O_EXCL file makes breaking it exclusive,
  // and the holder is re-read under it so a fresh lock taken meanwhile is never removed.
  #breakStale(seen: Holder): boolean {
    const breaker = `${this.#path}.break`;
    if (!tryCreate(breaker)) {
      const other = readHolder(breaker);
      if (other && (other.ageMs > 1000 || (other.host === hostname() && !pidAlive(other.pid))))
        rmSync(breaker, { force: true });
      return false;
    }
    try {
      const now = readHolder(this.#path);
      if (now && now.ino === seen.ino && now.raw === seen.raw) rmSync(this.#path, { force: true });
      return true;
    } finally {
      rmSync(breaker, { force: true });
    }
  }
}
