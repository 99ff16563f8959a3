// Shared set-up for the glacier tests: a real emulator over HTTP on 127.0.0.1 port 0, and the SDK
// port pointed at it with the retry layer on a clock that does not really sleep.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { closeEmulator } from "../helpers/close-emulator.ts";
import type { Clock } from "../../src/core/clock.ts";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.ts";
import type { GlacierPort } from "../../src/glacier/port.ts";
import { retryingPort } from "../../src/glacier/retry.ts";
import { createSdkPort } from "../../src/glacier/sdk.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** A Clock whose sleeps return at once but move its time on, so retry tests take no real time. */
export class SkippingClock implements Clock {
  readonly sleeps: number[] = [];
  #now = Date.UTC(2026, 0, 1);
  now(): number {
    return this.#now;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.#now += ms;
    return Promise.resolve();
  }
}

export interface Harness {
  emulator: RunningEmulator;
  /** The SDK adapter alone (no retries). */
  raw: GlacierPort;
  /** What commands get: the SDK adapter inside the retry layer. */
  port: GlacierPort;
  clock: SkippingClock;
  dir: string;
  /** Operations of the requests the emulator answered since the last clearLog(), with status. */
  calls(operation?: string): { operation: string; status: number; faults: string[] }[];
  clearLog(): void;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const dir = await tempDir("glacier-port-");
  const emulator = await startEmulator({ dataDir: join(dir, "emulator"), port: 0, ...options });
  const raw = createSdkPort({
    region: "us-east-1",
    endpointUrl: emulator.url,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
  });
  const clock = new SkippingClock();
  const port = retryingPort(raw, { clock });
  onTestFinished(async () => {
    await raw.close();
    await closeEmulator(emulator);
  });
  return {
    emulator,
    raw,
    port,
    clock,
    dir,
    ...requestLog(emulator),
  };
}

/** A harness's view of the emulator's request log (its own control requests left out). */
export function requestLog(emulator: RunningEmulator): Pick<Harness, "calls" | "clearLog"> {
  return {
    calls: (operation) =>
      emulator.control
        .requestLog()
        .filter((e) => e.operation !== "_emulator" && (operation === undefined || e.operation === operation))
        .map((e) => ({ operation: e.operation, status: e.status, faults: e.faults })),
    clearLog: () => {
      emulator.control.clearRequestLog();
    },
  };
}

/** Writes `size` random bytes to a file in dir and returns its path and the bytes. */
export async function randomFile(dir: string, name: string, size: number): Promise<{ path: string; data: Buffer }> {
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, data };
}

/** Reads a whole job output body. */
export async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
