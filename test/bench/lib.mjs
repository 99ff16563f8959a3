// Shared benchmark helpers: run a command, time it, and sample its peak RSS from /proc (VmHWM is a
// high-water mark, so the last sample before exit is the process's peak).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { open, mkdir } from "node:fs/promises";
import { createHash, randomFillSync } from "node:crypto";
import { join } from "node:path";
import { tmpdir } from "node:os";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a command to completion; resolves { seconds, peakRssBytes, stdout, code }. */
export function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], ...options });
    let peak = 0;
    let stdout = "";
    child.stdout?.on("data", (d) => (stdout += d));
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 20);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, peakRssBytes: peak, stdout, code });
    });
  });
}

/** Writes a file of random bytes (generated in 8 MiB blocks), unless it already has that size. */
export async function randomFile(path, size) {
  const handle = await open(path, "w");
  const block = Buffer.alloc(8 * MiB);
  for (let written = 0; written < size; written += block.length) {
    randomFillSync(block);
    await handle.write(block, 0, Math.min(block.length, size - written));
  }
  await handle.close();
}

export async function benchDir(name) {
  const dir = join(process.env.BENCH_DIR ?? tmpdir(), `glacier-bench-${name}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Seconds of a list of runs: the median judges (one round disturbed by other load on the machine
 * moves it less than it moves the best), best and worst show the spread.
 */
export function spread(runs) {
  const t = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const mid = Math.floor(t.length / 2);
  const median = t.length % 2 === 1 ? t[mid] : (t[mid - 1] + t[mid]) / 2;
  return { median, best: t[0], worst: t.at(-1), rss: Math.max(...runs.map((r) => r.peakRssBytes)) };
}

export const fmt = {
  mbps: (bytes, seconds) => `${(bytes / MiB / seconds).toFixed(0)} MiB/s`,
  mb: (bytes) => `${(bytes / MiB).toFixed(0)} MB`,
  ratio: (x) => `${x.toFixed(2)}x`,
};

/** Prints one result line and remembers whether it met its target. */
export function report(results, label, value, target, ok) {
  results.push(ok);
  console.log(`${ok ? "PASS" : "MISS"}  ${label}: ${value} (target ${target})`);
}

/** The tree hash's fold (docs/glacier-api.md#tree-hash): pairs of digests hashed level by level, odd one carried up. */
export function foldDigests(digests) {
  let level = digests;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(
        level[i + 1]
          ? createHash("sha256")
              .update(level[i])
              .update(level[i + 1])
              .digest()
          : level[i],
      );
    level = next;
  }
  return level[0].toString("hex");
}
