// Frees the buffers of a stream's chunks soon after they are copied (docs/migrate.md#memory). Node
// reads a socket into a new 64 KiB buffer each time, and a consumed one is freed only after a
// collection of the young generation, which V8 starts for such buffers on its own once about 32 MB
// of them are waiting (a fixed threshold: --max-semi-space-size does not move it). Four 16 MiB ranges
// read at once so held 30-60 MB of spent chunks beside the 64 MiB they were copied into. Collecting
// the young generation every SPENT_BUDGET bytes keeps that to about two budgets: the buffers a
// collection finds are freed in the background, mostly by the next collection.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Measured in a 2 GiB migration, 4 ranges at once: spent chunks at a collection were 13 MB typically
 * and 19 MB at most with 4 MiB, 17 and 32 MB with 8 MiB, in 1 to 2 ms a collection either way (0.6 s
 * in all); 16 MiB did no better than V8 alone.
 */
const SPENT_BUDGET = 4 * 1024 * 1024;

type Collect = (options: { type: "minor" }) => void;

let collect: Collect | undefined;
let spent = 0;

/** Counts a chunk whose bytes were copied out of it; collects the young generation once the budget is spent. */
export function spentChunk(bytes: number): void {
  spent += bytes;
  if (spent < SPENT_BUDGET) return;
  spent = 0;
  (collect ??= collector())({ type: "minor" });
}

function collector(): Collect {
  try {
    // gc() is given only to contexts created after --expose-gc; a new one hands it over.
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as Collect;
  } catch {
    // V8 then collects on its own schedule: more memory, nothing wrong.
    return () => {};
  }
}
