// `glacier archive list [--force-ids] [--with-hash] [--json] VAULT`: reads the cache only
// (docs/compatibility.md#commands, #fork-commands); no credentials or network needed.
import { pyRepr } from "../core/py-repr.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { archiveListLines, compareArchiveListRows } from "../core/archive-list.ts";
import type { Deps } from "./deps.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface ArchiveListOptions {
  vault: string;
  forceIds: boolean;
  withHash: boolean;
  json: boolean;
}

export function parse(raw: Invocation<typeof specs.archiveList>): ArchiveListOptions {
  // Checked although only the cache is read: an invalid name can hold no archive, and saying
  // nothing with exit 0 would hide a typo (README.md "Reliability", hostile input).
  assertVaultName(raw.args[0]);
  return {
    vault: raw.args[0],
    forceIds: raw.flags.forceIds,
    withHash: raw.flags.withHash,
    json: raw.flags.json,
  };
}

export async function run(options: ArchiveListOptions, deps: Deps): Promise<void> {
  const cache = await deps.cache();
  const rows = (await cache.list(options.vault)).sort(compareArchiveListRows);
  if (rows.length === 0 && (await cache.list(options.vault, { includeDeleted: true })).length === 0) {
    // stdout stays glacier-cli's (nothing); the user learns that nothing is known, not that the
    // vault is empty, and how to learn more.
    deps.output.info(
      `the archive cache has no record of any archive in vault ${pyRepr(options.vault)} (none uploaded or ` +
        `deleted from here, none seen in an inventory): 'glacier vault sync ${options.vault}' records what the ` +
        `vault holds`,
    );
  }
  if (options.json) {
    for (const a of rows) {
      await deps.output.data(
        JSON.stringify({
          id: a.id,
          name: a.name,
          size: a.size,
          treeHash: a.treeHash,
          creationDate: iso(a.creationDate),
          lastSeen: iso(a.lastSeenUpstream ?? a.createdHere),
        }) + `\n`,
      );
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
