import type { RunningEmulator } from "../../src/emulator/index.ts";

/** Closes a test's emulator when the test finished; the test may have closed it itself already. */
export async function closeEmulator(emulator: RunningEmulator): Promise<void> {
  await emulator.close().catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "ERR_SERVER_NOT_RUNNING") throw error;
  });
}
