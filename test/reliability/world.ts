// One isolated world per trial: an emulator over HTTP on its own data folder, a private HOME and
// cache, and a runner for the built `glacier` that can also be killed at a chosen instant.
import { execa, type ResultPromise } from "execa";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.ts";
import { BIN, userEnv, type BinResult } from "../helpers/run-bin.ts";

export interface World {
  root: string;
  /** Scratch folder for source trees and restores. */
  dir: string;
  home: string;
  cacheDir: string;
  emulatorDir: string;
  emulator: RunningEmulator;
  env: Record<string, string>;
  glacier: (args: readonly string[], options?: RunOptions) => Promise<BinResult>;
  /** Starts glacier without waiting; the caller may kill it. */
  spawn(args: readonly string[], options?: RunOptions): ResultPromise;
  close(): Promise<void>;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

export async function makeWorld(options: Partial<EmulatorOptions> = {}, prefix = "glacier-rel-"): Promise<World> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dir = join(root, "work");
  const home = join(root, "home");
  const emulatorDir = join(root, "emulator");
  await Promise.all([mkdir(dir), mkdir(home)]);
  const emulator = await startEmulator({ dataDir: emulatorDir, port: 0, ...options });
  const cacheDir = join(home, ".cache", "glacier-cli");
  const env: Record<string, string> = { ...userEnv(home, emulator.url), GLACIER_POLL_SECONDS: "0.05" };
  const spawn = (args: readonly string[], opts: RunOptions = {}): ResultPromise =>
    execa(process.execPath, [BIN.glacier, ...args], {
      cwd: opts.cwd ?? dir,
      env: { ...env, ...opts.env },
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      ...(opts.input !== undefined ? { input: opts.input } : {}),
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs, killSignal: "SIGKILL" } : {}),
    });
  return {
    root,
    dir,
    home,
    cacheDir,
    emulatorDir,
    emulator,
    env,
    spawn,
    async glacier(args, opts = {}) {
      const result = await spawn(args, opts);
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    async close() {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Runs `count` tasks with at most `width` at once, in index order. */
export async function pool<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
