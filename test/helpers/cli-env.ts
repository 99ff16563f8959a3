// An emulator over real HTTP on 127.0.0.1 and the environment a user would set to point the CLI at
// it: endpoint through AWS_ENDPOINT_URL_GLACIER (what git-annex can pass on), dummy credentials, and
// a private cache folder and HOME so nothing on the machine is read or written.
import { GlacierClient } from "@aws-sdk/client-glacier";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.ts";
import { TEST_CREDENTIALS } from "../emulator/helpers.ts";
import { closeEmulator } from "./close-emulator.ts";
import { runGlacier, userEnv, type BinResult } from "./run-bin.ts";
import { tempDir } from "./temp-dir.ts";

export interface CliWorld {
  emulator: RunningEmulator;
  /** A temporary working folder for the test's files. */
  dir: string;
  env: Record<string, string>;
  glacier(
    args: readonly string[],
    options?: { input?: string | Buffer; cwd?: string; env?: Record<string, string>; encoding?: "buffer" },
  ): Promise<BinResult>;
}

export async function cliWorld(options: Partial<EmulatorOptions> = {}): Promise<CliWorld> {
  const root = await tempDir("glacier-e2e-");
  const dir = join(root, "work");
  const home = join(root, "home");
  await Promise.all([mkdir(dir), mkdir(home)]);
  const emulator = await startEmulator({ dataDir: join(root, "emulator"), port: 0, ...options });
  onTestFinished(() => closeEmulator(emulator));
  const env = userEnv(home, emulator.url);
  return {
    emulator,
    dir,
    env,
    glacier: (args, opts = {}) =>
      runGlacier(args, {
        cwd: opts.cwd ?? dir,
        env: { ...env, ...opts.env },
        extendEnv: false,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
        ...(opts.encoding ? { encoding: opts.encoding } : {}),
      }),
  };
}

/** An SDK client on the world's emulator, to act as another tool would (destroyed when the test ends). */
export function sdkClient(world: CliWorld): GlacierClient {
  const client = new GlacierClient({
    region: "us-east-1",
    endpoint: world.emulator.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  onTestFinished(() => {
    client.destroy();
  });
  return client;
}
