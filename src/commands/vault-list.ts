// `glacier vault list`: every vault of the region, one name per line (docs/compatibility.md#commands:
// "Prints via print(*names, sep="\n"), so zero vaults print one empty line").
import type { Deps } from "./deps.ts";

export function parse(): Record<string, never> {
  return {};
}

export async function run(_options: Record<string, never>, deps: Deps): Promise<void> {
  const glacier = await deps.glacier();
  const vaults = await glacier.listVaults();
  await deps.output.data(`${vaults.map((v) => v.name).join("\n")}\n`);
}
