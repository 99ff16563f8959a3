import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/clock.ts";

/** The real clock, for the composition root only. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : {});
  },
};

/**
 * The real clock moved by GLACIER_CLOCK_OFFSET_SECONDS: for a computer whose clock is known to be
 * off, and to run retention (docs/retention.md) against an emulator whose clock was advanced.
 * Undefined when the value is not a number of seconds.
 */
export function offsetClock(offset: string | undefined): Clock | undefined {
  if (offset === undefined || offset.trim() === "") return systemClock;
  const seconds = Number(offset);
  if (!Number.isFinite(seconds)) return undefined;
  const ms = Math.round(seconds * 1000);
  return { now: () => Date.now() + ms, sleep: (delay, signal) => systemClock.sleep(delay, signal) };
}
