// What every operation handler gets: the store, the model settings, and a transaction that hands
// the model the records of the request's region and the emulator time ("now" = the clock plus the
// persisted offset). One env per region: its config carries that region (ARNs), its transactions
// see that region's records only.
import type { Clock } from "../core/clock.ts";
import { type Swept, housekeeping, quietPeriod } from "./housekeeping.ts";
import { regionRecords } from "./regions.ts";
import type { EmulatorState, ModelConfig, RegionState } from "./state.ts";
import type { DataStore } from "./store.ts";

type StateFn<S, T> = (state: S, now: number) => T | Promise<T>;

export interface EmulatorEnv {
  store: DataStore;
  /** The model settings; `region` is this env's region. */
  config: ModelConfig;
  clock: Clock;
  omitNulls: boolean;
  /**
   * Runs fn on this region's records under the state lock after applying what time did
   * (inventories, expiries, in every region), and saves the state afterwards. fn may change them.
   */
  transact<T>(fn: StateFn<RegionState, T>): Promise<T>;
  /**
   * The same for a function that only reads the records: nothing is written unless time changed
   * something. fn must not change them (they are the cached copy).
   */
  read<T>(fn: StateFn<RegionState, T>): Promise<T>;
  /** transact and read over the whole state (every region, the clock offset): the control API. */
  transactAll<T>(fn: StateFn<EmulatorState, T>): Promise<T>;
  readAll<T>(fn: StateFn<EmulatorState, T>): Promise<T>;
  /** The env of another region (same store, clock and settings). */
  inRegion(region: string): EmulatorEnv;
  /** The emulator time as of the last transaction (for Date headers). */
  now(): number;
}

/** The env of the configured region (config.region); others come from its inRegion(). */
export function createEnv(store: DataStore, config: ModelConfig, clock: Clock, omitNulls: boolean): EmulatorEnv {
  let offset = 0;
  const quiet = quietPeriod(config);
  // Nothing in the state falls due before this time (housekeeping.ts); -Infinity: not known.
  let nextDue = -Infinity;
  async function run<T>(fn: StateFn<EmulatorState, T>, writes: boolean): Promise<T> {
    let swept: Swept = { jobs: [], uploads: [], nextDue: -Infinity };
    const result = await store.transact(async (state, tx) => {
      offset = tx.raw.clockOffsetMs;
      const now = clock.now() + offset;
      tx.stamp(now);
      if (tx.reloaded) nextDue = -Infinity;
      for (const time of tx.replayed) nextDue = Math.min(nextDue, time + quiet);
      // A file written before regions holds the configured region's records: say so in it.
      if (tx.raw.region === undefined) state.region = config.region;
      if (now >= nextDue) {
        swept = housekeeping(state, config, now);
        nextDue = swept.nextDue;
      }
      if (writes) nextDue = Math.min(nextDue, now + quiet);
      return fn(writes ? state : tx.raw, now);
    });
    // Only after the state that forgot them was saved: their files can go.
    if (swept.jobs.length + swept.uploads.length > 0) {
      await store.remove(
        ...swept.jobs.flatMap((id) => [store.jobPath(id), `${store.jobPath(id)}.th`]),
        ...swept.uploads.map((id) => store.uploadDir(id)),
      );
    }
    return result;
  }
  const envs = new Map<string, EmulatorEnv>();
  function inRegion(region: string): EmulatorEnv {
    let env = envs.get(region);
    if (env === undefined) {
      env = {
        store,
        config: region === config.region ? config : { ...config, region },
        clock,
        omitNulls,
        now: () => clock.now() + offset,
        transact: (fn) => run((state, now) => fn(regionRecords(state, region, true), now), true),
        read: (fn) => run((state, now) => fn(regionRecords(state, region, false), now), false),
        transactAll: (fn) => run(fn, true),
        readAll: (fn) => run(fn, false),
        inRegion,
      };
      envs.set(region, env);
    }
    return env;
  }
  return inRegion(config.region);
}
