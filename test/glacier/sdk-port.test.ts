// The SDK adapter against the emulator over real HTTP: the conformance suite, then what is
// specific to this adapter (error mapping, the retry layer on top of it).
import { describe, expect, it } from "vitest";
import { describePortConformance } from "./port-conformance.ts";
import { startHarness } from "./helpers.ts";

describePortConformance("the SDK adapter over the emulator", async () => {
  const harness = await startHarness();
  return {
    port: harness.port,
    finishJobs: async () => void (await harness.emulator.control.advanceClock(1)),
    takeInventory: (vault) => harness.emulator.control.generateInventory(vault),
  };
});
