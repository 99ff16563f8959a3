// `--shard I/N` (docs/migrate.md#shards): N machines migrate one vault at once, each taking the
// archives whose id hashes to its shard. The hash is SHA-256 of the archive id, so the split
// depends on nothing but the id: not on the inventory's order, its date or which archives it holds.
import { createHash } from "node:crypto";
import { UsageError } from "./errors.ts";

export interface Shard {
  /** 1-based, as `--shard 1/4` ... `--shard 4/4`. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count))
    throw new UsageError(`--shard must be I/N with 1 <= I <= N, such as 1/4 (got ${JSON.stringify(text)})`);
  return { index, count };
}

/** The shard (1..count) an archive belongs to: the first 48 bits of SHA-256(id) modulo count. */
export function shardOf(archiveId: string, count: number): number {
  const digest = createHash("sha256").update(archiveId).digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(archiveId: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(archiveId, shard.count) === shard.index;
}
