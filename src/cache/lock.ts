// The cross-process writer lock (issue 4 item 5): a lock file created with O_EXCL holding
// "pid host time". Hand-written rather than proper-lockfile because that library detects staleness
// by mtime age only (at least seconds, with a refresh timer in every holder), whereas a writer killed
// with kill -9 must be recovered at once: on the same host a dead pid proves the lock stale.
// The lock is held for milliseconds (catch up, apply, append, fsync), never across network calls,
// and it is the only lock, so there is no lock ordering and no deadlock.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { CacheError } from "../core/errors.ts";
import { FILE_MODE, cacheFailure } from "./files.ts";

export interface LockOptions {
  /** Give up waiting after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whatever its pid (other host, reused pid). Default 10 min. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  ino: number;
  ageMs: number;
  raw: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const st = statSync(path);
    const raw = readFileSync(path, "utf8");
    const [pid, host] = raw.split(" ");
    return { pid: Number(pid), host: host ?? "", ino: st.ino, ageMs: Date.now() - st.mtimeMs, raw };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // A killed child its parent has not reaped yet still answers kill(0); it is dead all the same.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw cacheFailure("lock the archive cache", path, error);
  }
  try {
    writeSync(fd, `${process.pid} ${hostname()} ${Date.now()}`);
  } finally {
    closeSync(fd);
  }
  return true;
}

export class WriterLock {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #staleMs: number;

  constructor(path: string, options: LockOptions = {}) {
    this.#path = path;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#staleMs = options.staleMs ?? 600_000;
  }

  /** Waits for the lock; resolves to its release function. */
  async acquire(): Promise<() => void> {
    const deadline = Date.now() + this.#timeoutMs;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      if (tryCreate(this.#path)) return () => rmSync(this.#path, { force: true });
      const holder = readHolder(this.#path);
      if (holder && this.#stale(holder) && this.#breakStale(holder)) continue;
      if (Date.now() > deadline) {
        throw new CacheError(`the archive cache is locked by process ${holder?.pid ?? "?"} (${this.#path}); is another glacier stuck?`);
      } else await delay(wait);
    }
  }

  #stale(h: Holder): boolean {
    if (h.ageMs > this.#staleMs) return true;
    // Created but not yet written: a holder killed in between leaves it empty for good.
    if (h.raw === "") return h.ageMs > 1000;
    return h.host === hostname() && h.pid !== process.pid && !alive(h.pid);
  }

  // Two processes may judge the same lock stale; a second O_EXCL file makes breaking it exclusive,
  // and the holder is re-read under it so a fresh lock taken meanwhile is never removed.
  #breakStale(seen: Holder): boolean {
    const breaker = `${this.#path}.break`;
    if (!tryCreate(breaker)) {
      const other = readHolder(breaker);
      if (other && (other.ageMs > 1000 || (other.host === hostname() && !alive(other.pid)))) rmSync(breaker, { force: true });
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
