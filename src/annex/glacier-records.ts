// What the remote knows about a key: the archive name it derives from the key, the per-key state it
// keeps in the git-annex branch (SETSTATE, "a natural place for the Glacier ArchiveId", so another
// clone knows the archive without an inventory), the archive cache, and the presence decision.
import type { ArchiveCache } from "../cache/archive-cache.ts";
import { presence } from "../core/checkpresent.ts";
import type { CachedArchive, Tier } from "../core/types.ts";
import type { CheckpresentPolicy } from "./glacier-config.ts";
import type { Presence } from "./remote.ts";

/** One archive holding a key's content. */
export interface KeyRecord {
  archiveId: string;
  treeHash: string | null;
  size: number | null;
  /** Epoch ms: when an inventory last listed it, and when it was uploaded (core/checkpresent.ts). */
  lastSeenUpstream: number | null;
  createdHere: number | null;
  from: "cache" | "state";
}

/**
 * A retrieval requested for a key's archive, shared through the git-annex branch so that another
 * clone (or a later run) follows it instead of asking again (docs/annex-s3.md#restores).
 */
export interface RetrievalRecord {
  jobId: string;
  tier: Tier;
  requestedAt: number;
  /** When the backend expects it to be done (epoch ms). */
  readyAt: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The archive name for a key: `fileprefix` + the key, as the built-in glacier remote names
 * archives ("ARCH is fileprefix + key"), so both remotes can share a vault. A key that is not valid
 * UTF-8 is read one char per byte, which still maps distinct keys to distinct names.
 */
export function archiveName(prefix: string, key: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(key);
  } catch {
    text = Buffer.from(key).toString("latin1");
  }
  return prefix + text;
}

/**
 * The state value: `ARCHIVEID TREEHASH SIZE UPLOADED_MS [retrieval=TIER:REQUESTED_MS:READY_MS:JOBID]` (the job
 * id percent-encoded); "" means no archive (never stored, or removed). Readers of the first four
 * fields ignore the fifth.
 */
export function formatState(record: {
  archiveId: string;
  treeHash: string;
  size: number;
  uploadedAt: number;
  retrieval?: RetrievalRecord;
}): string {
  const base = `${record.archiveId} ${record.treeHash} ${record.size} ${record.uploadedAt}`;
  const r = record.retrieval;
  return r
    ? `${base} ${RETRIEVAL}${r.tier}:${String(r.requestedAt)}:${String(r.readyAt)}:${encodeURIComponent(r.jobId)}`
    : base;
}

const RETRIEVAL = "retrieval=";
const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

/** The retrieval a state value records, if any. */
export function parseRetrieval(text: string): RetrievalRecord | undefined {
  const field = text.trim().split(" ")[4];
  const match = field?.startsWith(RETRIEVAL) ? /^(\w+):(\d+):(\d+):(\S+)$/.exec(field.slice(RETRIEVAL.length)) : null;
  const [, tierText, at, ready, jobId] = match ?? [];
  const tier = TIERS.find((t) => t === tierText);
  if (!tier || at === undefined || ready === undefined || jobId === undefined) return undefined;
  try {
    return { tier, requestedAt: Number(at), readyAt: Number(ready), jobId: decodeURIComponent(jobId) };
  } catch {
    return undefined;
  }
}

export function parseState(text: string): KeyRecord | undefined {
  const [archiveId, treeHash, size, uploadedAt] = text.trim().split(" ");
  if (!archiveId) return undefined;
  const number = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : null);
  return {
    archiveId,
    treeHash: treeHash && /^[0-9a-f]{64}$/.test(treeHash) ? treeHash : null,
    size: number(size),
    lastSeenUpstream: null,
    createdHere: number(uploadedAt),
    from: "state",
  };
}

export function fromCache(row: CachedArchive): KeyRecord {
  return {
    archiveId: row.id,
    treeHash: row.treeHash,
    size: row.size,
    lastSeenUpstream: row.lastSeenUpstream,
    createdHere: row.createdHere,
    from: "cache",
  };
}

/**
 * The live archive for a name: the newest live cache row, else the git-annex state unless this
 * clone deleted that very archive. `state` is read only when the cache has no live row.
 */
export async function findRecord(
  cache: ArchiveCache,
  vault: string,
  name: string,
  state: () => Promise<string>,
): Promise<KeyRecord | undefined> {
  const rows = await cache.lookup(vault, `name:${name}`);
  const newest = rows.sort((a, b) => (b.createdHere ?? 0) - (a.createdHere ?? 0))[0];
  if (newest) return fromCache(newest);
  const recorded = parseState(await state());
  if (!recorded) return undefined;
  const row = await cache.get(vault, recorded.archiveId);
  if (row?.deletedHere != null) return undefined;
  return row ? fromCache(row) : recorded;
}

export interface PresenceInput {
  record: KeyRecord | undefined;
  policy: CheckpresentPolicy;
  maxAgeHours: number;
  now: number;
}

/**
 * docs/annex-protocol.md#presence: "answer FAILURE only if we positively know the key is absent ... Answer
 * SUCCESS only if we choose to trust our record ... Otherwise answer UNKNOWN with a one-line reason."
 */
export function decidePresence({ record, policy, maxAgeHours, now }: PresenceInput): Presence {
  // "Must not report present until the upload has fully completed": an upload still running in
  // another process is absent too. That makes git-annex send STORE, which waits for the running
  // upload under the key's lock and then finds its archive, so no duplicate is uploaded.
  if (!record) return { kind: "absent" };
  if (policy === "trust") return { kind: "present" };
  if (policy === "paranoid") {
    return {
      kind: "unknown",
      reason:
        `archive ${record.archiveId} was recorded, but checkpresent=paranoid trusts no record (Glacier's ` +
        `inventory could be out of date)`,
    };
  }
  if (presence(record, now, maxAgeHours) === "present") return { kind: "present" };
  return {
    kind: "unknown",
    reason:
      `archive ${record.archiveId} has not been seen in the last ${maxAgeHours} hours (checkpresent=maxage); ` +
      `run glacier vault sync`,
  };
}
