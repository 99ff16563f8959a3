import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/clock.ts";

/** The real clock, for the composition root only. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : {});
  },
};
