// Inventory reconciliation of `vault sync` (docs/cache.md#inventory-reconciliation) as a plan: which cache rows to
// insert, update and remove, and what to tell the user. The applier writes it in one transaction.
//
// Differences from glacier-cli, on purpose:
// - hashes (the fork, docs/compatibility.md#fork-commands): new rows take SHA256TreeHash; a mismatch is
//   warned about and, unlike the fork, corrected with --fix; a row without a hash (written by the original tool)
//   adopts the inventory's silently, as an empty name does;
// - descriptions pass through names.ts, so encoded, mt-aws-glacier and FastGlacier descriptions
//   compare and store as the names they carry;
// - an archive the cache lacks whose name, size and tree hash equal an open single-upload intent's
//   was stored by an upload killed before it heard back: deleted when the file was uploaded again
//   (a live row with the same name, size and hash), else adopted; the intent is closed either way;
// - a deleted row missing from an inventory older than its deletion is not called a "new archive
//   not yet in inventory" (docs/cache.md#inventory-reconciliation calls that a quirk): nothing is said about it.
import { displayRef } from "./archive-ref.ts";
import { nameFromDescription } from "./names.ts";
import { pyRepr } from "./py-repr.ts";
import type { CachedArchive, InventoryArchive } from "./types.ts";

/** "INVENTORY_LAG = 3 days = 259200 s": how far an inventory may trail the vault. */
export const INVENTORY_LAG_MS = 3 * 24 * 3600_000;

/** A single-upload intent this old whose archive no inventory shows was never stored: closed. */
export const STALE_INTENT_MS = 30 * 24 * 3600_000;

/** An open intent of a single-request upload (recorded before the request was sent). */
export interface SingleUploadIntent {
  uploadId: string;
  name: string | null;
  size: number | null;
  treeHash: string | null;
  /** Epoch ms. */
  startedAt: number;
}

export interface SyncInput {
  /** Every cached row of this vault, deleted ones included. */
  cached: readonly CachedArchive[];
  vault: string;
  /** The inventory's InventoryDate (epoch ms). */
  inventoryDate: number;
  /** The inventory job's CreationDate (epoch ms). */
  jobCreationDate: number;
  now: number;
  fix: boolean;
  /** Open single-upload intents of this vault. */
  intents?: readonly SingleUploadIntent[];
}

export type ArchiveChanges = Partial<
  Pick<CachedArchive, "name" | "treeHash" | "size" | "creationDate" | "lastSeenUpstream">
>;

export type SyncMessageKind =
  | "added"
  | "renamed"
  | "hash-mismatch"
  | "deleted-still-present"
  | "deletion-pending"
  | "left-inventory"
  | "disappeared"
  | "not-yet-in-inventory"
  | "interrupted-duplicate"
  | "interrupted-adopted"
  | "stale-intent";

export interface SyncMessage {
  level: "warning" | "info";
  kind: SyncMessageKind;
  text: string;
}

export interface SyncPlan {
  inserts: CachedArchive[];
  updates: { id: string; set: ArchiveChanges }[];
  /** Ids of rows to delete from the cache. */
  removals: string[];
  /**
   * Archives to delete from the vault (DeleteArchive) before the cache changes are applied, as
   * the deleted rows to record (so a later reading of the same inventory does not add them back).
   */
  deletions: CachedArchive[];
  /** Upload intents to close with the cache changes. */
  closedIntents: string[];
  messages: SyncMessage[];
}

const contentKey = (name: string | null, size: number | null, treeHash: string | null) =>
  `${name ?? ""}\0${size ?? ""}\0${treeHash?.toLowerCase() ?? ""}`;

/** Feed inventory archives one at a time (they stream from the parser), then finish(). */
export class SyncPlanner {
  readonly #input: SyncInput;
  readonly #rows: Map<string, CachedArchive>;
  readonly #seenIds = new Set<string>();
  readonly #plan: SyncPlan = { inserts: [], updates: [], removals: [], deletions: [], closedIntents: [], messages: [] };
  /** Open single-upload intents by name, size and tree hash. */
  readonly #intents = new Map<string, SingleUploadIntent[]>();
  readonly #closed = new Set<string>();
  /** Name, size and hash of live rows, and of orphans adopted by this plan. */
  readonly #live = new Set<string>();
  /** seen = max(InventoryDate, jobCreationDate − INVENTORY_LAG): InventoryDate alone goes stale. */
  readonly #seen: number;

  constructor(input: SyncInput) {
    this.#input = input;
    this.#rows = new Map(input.cached.map((row) => [row.id, row]));
    this.#seen = Math.max(input.inventoryDate, input.jobCreationDate - INVENTORY_LAG_MS);
    for (const intent of input.intents ?? []) {
      const key = contentKey(intent.name, intent.size, intent.treeHash);
      this.#intents.set(key, [...(this.#intents.get(key) ?? []), intent]);
    }
    for (const row of input.cached)
      if (row.deletedHere === null) this.#live.add(contentKey(row.name, row.size, row.treeHash));
  }

  add(archive: InventoryArchive): void {
    if (this.#seenIds.has(archive.archiveId)) return;
    this.#seenIds.add(archive.archiveId);
    const name = nameFromDescription(archive.description);
    const row = this.#rows.get(archive.archiveId);
    if (row === undefined) {
      const key = contentKey(name, archive.size, archive.treeHash);
      const intents = this.#intents.get(key);
      if (intents === undefined) this.#insert(archive, name);
      else this.#orphan(archive, name, key, intents);
    } else this.#update(row, archive, name);
  }

  finish(): SyncPlan {
    const { inventoryDate, fix, now } = this.#input;
    for (const intents of this.#intents.values()) {
      for (const intent of intents) {
        if (this.#closed.has(intent.uploadId) || intent.startedAt >= now - STALE_INTENT_MS) continue;
        this.#close(intent.uploadId);
        this.#say(
          "info",
          "stale-intent",
          `forgot an upload of ${intent.name ?? "None"} interrupted on ` +
            `${new Date(intent.startedAt).toISOString()}: no unrecorded archive of it in inventory`,
        );
      }
    }
    for (const row of this.#rows.values()) {
      if (this.#seenIds.has(row.id)) continue;
      const ref = pyRepr(displayRef(row));
      if (row.deletedHere !== null) {
        if (row.deletedHere < inventoryDate) {
          this.#plan.removals.push(row.id);
          this.#say("info", "left-inventory", `deleted archive ${ref} has left inventory; removed from cache`);
        }
      } else if (
        row.lastSeenUpstream !== null ||
        (row.createdHere !== null && row.createdHere < inventoryDate - INVENTORY_LAG_MS)
      ) {
        if (fix) this.#plan.removals.push(row.id);
        this.#say("warning", "disappeared", `archive disappeared: ${ref}${fix ? " (removed from cache)" : ""}`);
      } else {
        this.#say("warning", "not-yet-in-inventory", `new archive not yet in inventory: ${ref}`);
      }
    }
    return this.#plan;
  }

  #insert(archive: InventoryArchive, name: string): void {
    this.#plan.inserts.push(this.#row(archive, name));
    // The fork's text (%s, no quotes).
    this.#say("warning", "added", `archive ${name} (${archive.archiveId}) present upstream but not in cache - added`);
  }

  #row(archive: InventoryArchive, name: string): CachedArchive {
    return {
      id: archive.archiveId,
      vault: this.#input.vault,
      name,
      treeHash: archive.treeHash,
      size: archive.size,
      lastSeenUpstream: this.#seen,
      createdHere: this.#input.now,
      deletedHere: null,
      creationDate: archive.creationDate,
    };
  }

  /** The archive of an upload killed before it heard back (its intent is still open). */
  #orphan(archive: InventoryArchive, name: string, key: string, intents: SingleUploadIntent[]): void {
    if (this.#live.has(key)) {
      this.#plan.deletions.push({ ...this.#row(archive, name), deletedHere: this.#input.now });
      this.#say(
        "info",
        "interrupted-duplicate",
        `deleted duplicate left by an interrupted upload: ${name} (${archive.archiveId})`,
      );
    } else {
      this.#live.add(key);
      this.#plan.inserts.push(this.#row(archive, name));
      this.#say(
        "info",
        "interrupted-adopted",
        `recorded archive left by an interrupted upload: ${name} (${archive.archiveId})`,
      );
    }
    // Every open intent with this content is accounted for; later orphans of it are duplicates.
    for (const intent of intents) this.#close(intent.uploadId);
  }

  #close(uploadId: string): void {
    if (this.#closed.has(uploadId)) return;
    this.#closed.add(uploadId);
    this.#plan.closedIntents.push(uploadId);
  }

  #update(row: CachedArchive, archive: InventoryArchive, name: string): void {
    const { fix, inventoryDate } = this.#input;
    const set: ArchiveChanges = {};
    let current = row.name;
    if (current === null || current === "") {
      if (name !== "") current = set.name = name;
    } else if (current !== name) {
      const text = `archive ${pyRepr(row.id)} appears to have changed name from ${pyRepr(current)} to ${pyRepr(name)}`;
      this.#say("warning", "renamed", fix ? `${text} (fixed)` : text);
      if (fix) current = set.name = name;
    }
    if (row.treeHash === null) set.treeHash = archive.treeHash;
    else if (row.treeHash !== archive.treeHash) {
      const text = `archive ${current ?? "None"} upstream hash does not match cache hash`;
      this.#say("warning", "hash-mismatch", fix ? `${text} (fixed)` : text);
      if (fix) set.treeHash = archive.treeHash;
    }
    if (row.size === null || (fix && row.size !== archive.size)) set.size = archive.size;
    if (row.creationDate === null) set.creationDate = archive.creationDate;
    if (row.deletedHere !== null) {
      const ref = pyRepr(displayRef(row));
      if (row.deletedHere < inventoryDate)
        this.#say("warning", "deleted-still-present", `archive ${ref} marked deleted but still present`);
      else this.#say("warning", "deletion-pending", `archive ${ref} deletion not yet in inventory`);
    }
    set.lastSeenUpstream = this.#seen;
    this.#plan.updates.push({ id: row.id, set });
  }

  #say(level: SyncMessage["level"], kind: SyncMessageKind, text: string): void {
    this.#plan.messages.push({ level, kind, text });
  }
}

export function planSync(input: SyncInput, archives: Iterable<InventoryArchive>): SyncPlan {
  const planner = new SyncPlanner(input);
  for (const archive of archives) planner.add(archive);
  return planner.finish();
}
