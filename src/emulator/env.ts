// What every operation handler gets: the store, the model settings, and a transaction that hands
// the model the state and the emulator time ("now" = the clock plus the persisted offset).
import type { Clock } from "../core/clock.ts";
import { type Swept, housekeeping } from "./housekeeping.ts";
import type { EmulatorState, ModelConfig } from "./state.ts";
import type { DataStore } from "./store.ts";

export interface EmulatorEnv {
  store: DataStore;
  config: ModelConfig;
  clock: Clock;
  omitNulls: boolean;
  /**
   * Runs fn under the state lock after applying what time did (inventories, expiries), and saves
   * the state afterwards. fn may change the state.
   */
  transact<T>(fn: (state: EmulatorState, now: number) => T | Promise<T>): Promise<T>;
  /**
   * The same for a function that only reads the state: nothing is written unless time changed
   * something. fn must not change the state (it is the cached copy).
   */
  read<T>(fn: (state: EmulatorState, now: number) => T | Promise<T>): Promise<T>;
  /** The emulator time as of the last transaction (for Date headers). */
  now(): number;
}

export function createEnv(store: DataStore, config: ModelConfig, clock: Clock, omitNulls: boolean): EmulatorEnv {
  let offset = 0;
  async function run<T>(fn: (state: EmulatorState, now: number) => T | Promise<T>, writes: boolean): Promise<T> {
    let swept: Swept = { jobs: [], uploads: [], changed: false };
    const result = await store.transact(async (state) => {
      offset = state.clockOffsetMs;
      const now = clock.now() + offset;
      swept = housekeeping(state, config, now);
      return { result: await fn(state, now), changed: writes || swept.changed };
    });
    // Only after the state that forgot them was saved: their files can go.
    if (swept.jobs.length + swept.uploads.length > 0) {
      await store.remove(...swept.jobs.flatMap((id) => [store.jobPath(id), `${store.jobPath(id)}.th`]), ...swept.uploads.map((id) => store.uploadDir(id)));
    }
    return result;
  }
  return {
    store, config, clock, omitNulls,
    now: () => clock.now() + offset,
    transact: (fn) => run(fn, true),
    read: (fn) => run(fn, false),
  };
}
