// `glacier archive list [--force-ids] [--with-hash] [--json] VAULT`: reads the cache only
// (docs/compatibility.md#commands, #fork-commands); no credentials or network needed.
import { assertVaultName } from "../core/vault-name.ts";
import { archiveListLines, compareArchiveListRows } from "../core/archive-list.ts";
import type { Deps } from "../runtime/deps.ts";
import type { RawInvocation } from "./types.ts";

export interface ArchiveListOptions {
  vault: string;
  forceIds: boolean;
  withHash: boolean;
  json: boolean;
}

export function parse(raw: RawInvocation): ArchiveListOptions {
  // Checked although only the cache is read: an invalid name can hold no archive, and saying
  // nothing with exit 0 would hide a typo (README.md "Reliability", hostile input).
  assertVaultName(raw.args[0] as string);
  return { vault: raw.args[0] as string, forceIds: raw.flags.forceIds === true, withHash: raw.flags.withHash === true, json: raw.flags.json === true };
}

export async function run(options: ArchiveListOptions, deps: Deps): Promise<void> {
  const cache = await deps.cache();
  const rows = (await cache.list(options.vault)).sort(compareArchiveListRows);
  if (options.json) {
    for (const a of rows) {
      await deps.output.data(`${JSON.stringify({ id: a.id, name: a.name, size: a.size, treeHash: a.treeHash, creationDate: iso(a.creationDate), lastSeen: iso(a.lastSeenUpstream ?? a.createdHere) })}\n`);
    }
    return;
  }
  // Written in blocks: a vault of half a million archives is one sort and a few hundred writes.
  let block = "";
  for (const line of archiveListLines(rows, options)) {
    block += `${line}\n`;
    if (block.length >= 1 << 16) {
      await deps.output.data(block);
      block = "";
    }
  }
  if (block) await deps.output.data(block);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
