// Byte counts and dollar amounts as plans print them.

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** "41943040 bytes (40.0 MiB)": the exact count for scripts and eyes, a rounded one for eyes. */
export function formatBytes(bytes: number): string {
  const exact = `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024) return exact;
  let value = bytes;
  let unit = "";
  for (const u of UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${exact} (${value.toFixed(1)} ${unit})`;
}

/**
 * Dollars: cents from $1 up; below that four decimals, because a plan of a few hundred requests
 * costs fractions of a cent and "$0.00" would hide that it costs anything.
 */
export function formatUsd(amount: number): string {
  if (amount === 0) return "$0.00";
  if (amount >= 1) return `$${amount.toFixed(2)}`;
  if (amount < 0.0001) return "<$0.0001";
  return `$${amount.toFixed(4)}`;
}

/** "1 file", "2 files". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
