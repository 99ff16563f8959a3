// `local:DIR`: the emulator in-process over DIR, on a loopback port of its own for as long as the
// command runs, so every command works with no AWS account. Loaded only when local:DIR is used.
// Unlike Amazon Glacier (and `glacier-emulator`, which keeps Glacier's delays for tests), nothing
// here waits for time that no second process could advance: retrieval jobs complete at once and
// S3 restores complete at once, a vault's inventory reflects it at every request ("live"), so
// `vault sync` succeeds on its first
// run and an emptied vault can be deleted at once (docs/local-endpoint.md).
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
    const emulator = await startEmulator({
      dataDir: dir,
      port: 0,
      inventoryLag: "live",
      // S3 restores complete at once too, with the tier rules of each class kept.
      restoreDelays: { GLACIER: { Expedited: 0, Standard: 0, Bulk: 0 }, DEEP_ARCHIVE: { Standard: 0, Bulk: 0 } },
      ...(region ? { region } : {}),
    });
    return { url: emulator.url, close: () => emulator.close() };
  } catch (error) {
    throw new ConsoleError(`local:${dir}: cannot start the local Glacier emulator: ${describeSystemError(error)}`, {
      cause: error,
    });
  }
}
