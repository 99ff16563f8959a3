// `--max-age HOURS` of `vault sync` and `archive checkpresent`. Kept apart from the sync code so that
// checkpresent, which git-annex runs once per key, loads the inventory parser only when it syncs.
import { UsageError } from "../../core/errors.ts";

export function hours(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--max-age: expected a whole number of hours, got ${JSON.stringify(value)}`);
  return n;
}
