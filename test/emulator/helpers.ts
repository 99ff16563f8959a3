// Starts an emulator on a fresh data DIR for one test, with an SDK client pointed at it.
import { GlacierClient } from "@aws-sdk/client-glacier";
import { onTestFinished } from "vitest";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { closeEmulator } from "../helpers/close-emulator.ts";
import { tempDir } from "../helpers/temp-dir.ts";

export const TEST_CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

export interface TestEmulator {
  emulator: RunningEmulator;
  client: GlacierClient;
  dataDir: string;
}

export async function testEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? (await tempDir("glacier-emu-"));
  const emulator = await startEmulator({ ...options, dataDir });
  const client = new GlacierClient({
    region: options.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  onTestFinished(async () => {
    client.destroy();
    await closeEmulator(emulator);
  });
  return { emulator, client, dataDir };
}

/** Deterministic pseudo-random bytes (a counter pattern mixed with the seed). */
export function bytes(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
