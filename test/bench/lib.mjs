// Shared benchmark helpers: run a command, time it, and sample its peak RSS from /proc (VmHWM is a
// high-water mark, so the last sample before exit is the process's peak).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { open, mkdir, mkdtemp } from "node:fs/promises";
import { createHash, randomFillSync } from "node:crypto";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

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

/**
 * The emulator's data DIR: on tmpfs when there is one, because on this kind of VM writing 1 GiB into
 * ext4's page cache costs 1.7-2.5 CPU-seconds, which would time the disk rather than the code.
 * BENCH_EMULATOR_DIR overrides (and is then kept).
 */
export async function emulatorDataDir(name, fallback) {
  if (process.env.BENCH_EMULATOR_DIR) return process.env.BENCH_EMULATOR_DIR;
  return existsSync("/dev/shm") ? await mkdtemp(`/dev/shm/glacier-bench-${name}-`) : fallback;
}

/** Starts the built `glacier-emulator --data DIR [args]`; resolves { server, url } once it listens. */
export async function startEmulatorProcess(dataDir, args = []) {
  const bin = fileURLToPath(new URL("../../bin/glacier-emulator.js", import.meta.url));
  const server = spawn(process.execPath, [bin, "--data", dataDir, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let text = "";
    server.stdout.on("data", (d) => {
      text += d;
      const found = /https?:\/\/\S+/.exec(text);
      if (found) resolve(found[0]);
    });
    server.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return { server, url };
}

/** The environment of the built `glacier` pointed at an emulator: its own HOME (so cache), dummy keys. */
export function cliEnv(home, url) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    AWS_ENDPOINT_URL_GLACIER: url,
    AWS_ENDPOINT_URL_S3: url,
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/**
 * Runs the built `glacier` with `env`, measured (seconds, peak RSS, stdout, exit code); `quiet`
 * drops its stderr (a set-up step's progress lines; its exit code still says whether it worked).
 */
export function glacierRun(env, args, { quiet = false } = {}) {
  const bin = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
  return measure(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", quiet ? "ignore" : "inherit"] });
}
