// Who owns an open upload or a lock: host, process id and the process's start time. A pid alone is
// not enough: after a crash the number is reused, so a record whose pid is alive again would be
// believed owned for ever. Linux's /proc/PID/stat gives the start time (clock ticks since boot);
// where it is missing, the pid alone decides. Another host's process cannot be checked from here.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface Owner {
  host: string;
  pid: number;
  /** Field 22 of /proc/PID/stat, "" when unknown. */
  start: string;
}

/** alive: running (or on another host, where we cannot tell otherwise); gone: it cannot finish. */
export type OwnerState = "alive" | "gone" | "other-host";

function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: fields restart after the last ")".
    return ["", "", ...text.slice(text.lastIndexOf(")") + 2).split(" ")];
  } catch {
    return undefined;
  }
}

/** This process. */
export function processOwner(): Owner {
  return { host: hostname(), pid: process.pid, start: procStat(process.pid)?.[21] ?? "" };
}

export function formatOwner(owner: Owner): string {
  return `${owner.pid} ${owner.host} ${owner.start}`.trimEnd();
}

export function parseOwner(text: string | null | undefined): Owner | undefined {
  if (!text) return undefined;
  const [pid, host, start] = text.split(" ");
  if (!pid || !/^\d+$/.test(pid) || !host) return undefined;
  return { pid: Number(pid), host, start: start ?? "" };
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A killed child its parent has not reaped yet still answers kill(0); it is dead all the same.
  const stat = procStat(pid);
  return stat === undefined || stat[2] !== "Z";
}

export function ownerState(owner: Owner): OwnerState {
  if (owner.host !== hostname()) return "other-host";
  if (!pidAlive(owner.pid)) return "gone";
  if (owner.start === "") return "alive";
  const start = procStat(owner.pid)?.[21];
  return start === undefined || start === owner.start ? "alive" : "gone";
}

/** "process 1234 on host" for messages. */
export function describeOwner(owner: Owner): string {
  return `process ${owner.pid} on ${owner.host}`;
}
