// `local:DIR`: the emulator in-process over DIR (docs/emulator.md: "the endpoint local:DIR runs it
// in-process so every command works with no AWS account"), on a loopback port of its own for as
// long as the command runs. Loaded only when local:DIR is used.
import { mkdir } from "node:fs/promises";
import { ConsoleError, describeSystemError } from "../core/errors.ts";
import { startEmulator } from "../emulator/index.ts";

export interface LocalEmulator {
  url: string;
  close(): Promise<void>;
}

export async function startLocalEmulator(dir: string, region?: string): Promise<LocalEmulator> {
  try {
    await mkdir(dir, { recursive: true });
    const emulator = await startEmulator({ dataDir: dir, port: 0, ...(region ? { region } : {}) });
    return { url: emulator.url, close: () => emulator.close() };
  } catch (error) {
    throw new ConsoleError(`local:${dir}: cannot start the local Glacier emulator: ${describeSystemError(error)}`, { cause: error });
  }
}
