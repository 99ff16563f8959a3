// The action options of glacier-emulator (--advance-clock, --generate-inventory, --list-jobs): one
// change or query on a data DIR's state with no server, so the virtual clock of the emulator (and
// of a `local:DIR` endpoint, or of a server on that DIR) can be driven without curl.
import type { EmulatorAction } from "./cli-options.ts";
import { type EmulatorOptions, openEmulatorControl } from "./index.ts";
import { isoSeconds } from "./time.ts";

/** Runs one action; returns the lines for stdout. */
export async function runEmulatorAction(
  action: Exclude<EmulatorAction, { kind: "serve" }>,
  options: EmulatorOptions,
): Promise<string[]> {
  const control = await openEmulatorControl(options);
  switch (action.kind) {
    case "advance-clock": {
      const now = await control.advanceClock(action.seconds);
      return [`emulator time ${isoSeconds(now)}`];
    }
    case "generate-inventory":
      await control.generateInventory(action.vault);
      return [];
    case "list-jobs": {
      const now = await control.now();
      // Tab-separated for scripts: vault, job ID, action, completion time, seconds left.
      return (await control.pendingJobs()).map((job) =>
        [
          job.vault,
          job.id,
          job.action,
          isoSeconds(job.completesAt),
          String(Math.ceil((job.completesAt - now) / 1000)),
        ].join("\t"),
      );
    }
  }
}
