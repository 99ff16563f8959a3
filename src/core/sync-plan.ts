// Inventory reconciliation of `vault sync` (glacier-cli.md 2.4) as a plan: which cache rows to
// insert, update and remove, and what to tell the user. The applier writes it in one transaction.
//
// Differences from glacier-cli, on purpose:
// - hashes (fork, 4.5): new rows take SHA256TreeHash; a mismatch is warned about and, unlike the
//   fork, corrected with --fix (issue 5); a row without a hash (written by the original tool)
//   adopts the inventory's silently, as an empty name does;
// - descriptions pass through names.ts, so encoded, mt-aws-glacier and FastGlacier descriptions
//   compare and store as the names they carry;
// - a deleted row missing from an inventory older than its deletion is not called a "new archive
//   not yet in inventory" (glacier-cli.md 2.4 calls that a quirk): nothing is said about it.
import { displayRef } from "./archive-ref.ts";
import { nameFromDescription } from "./names.ts";
import { pyRepr } from "./py-repr.ts";
import type { CachedArchive, InventoryArchive } from "./types.ts";

/** "INVENTORY_LAG = 3 days = 259200 s": how far an inventory may trail the vault. */
export const INVENTORY_LAG_MS = 3 * 24 * 3600_000;

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
}

export type ArchiveChanges = Partial<Pick<CachedArchive, "name" | "treeHash" | "size" | "creationDate" | "lastSeenUpstream">>;

export type SyncMessageKind =
  | "added" | "renamed" | "hash-mismatch" | "deleted-still-present" | "deletion-pending"
  | "left-inventory" | "disappeared" | "not-yet-in-inventory";

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
  messages: SyncMessage[];
}

/** Feed inventory archives one at a time (they stream from the parser), then finish(). */
export class SyncPlanner {
  readonly #input: SyncInput;
  readonly #rows: Map<string, CachedArchive>;
  readonly #seenIds = new Set<string>();
  readonly #plan: SyncPlan = { inserts: [], updates: [], removals: [], messages: [] };
  /** "seen = max(InventoryDate, jobCreationDate − INVENTORY_LAG)" (PR #6: InventoryDate goes stale). */
  readonly #seen: number;

  constructor(input: SyncInput) {
    this.#input = input;
    this.#rows = new Map(input.cached.map((row) => [row.id, row]));
    this.#seen = Math.max(input.inventoryDate, input.jobCreationDate - INVENTORY_LAG_MS);
  }

  add(archive: InventoryArchive): void {
    if (this.#seenIds.has(archive.archiveId)) return;
    this.#seenIds.add(archive.archiveId);
    const name = nameFromDescription(archive.description);
    const row = this.#rows.get(archive.archiveId);
    if (row === undefined) this.#insert(archive, name);
    else this.#update(row, archive, name);
  }

  finish(): SyncPlan {
    const { inventoryDate, fix } = this.#input;
    for (const row of this.#rows.values()) {
      if (this.#seenIds.has(row.id)) continue;
      const ref = pyRepr(displayRef(row));
      if (row.deletedHere !== null) {
        if (row.deletedHere < inventoryDate) {
          this.#plan.removals.push(row.id);
          this.#say("info", "left-inventory", `deleted archive ${ref} has left inventory; removed from cache`);
        }
      } else if (row.lastSeenUpstream !== null || (row.createdHere !== null && row.createdHere < inventoryDate - INVENTORY_LAG_MS)) {
        if (fix) this.#plan.removals.push(row.id);
        this.#say("warning", "disappeared", `archive disappeared: ${ref}${fix ? " (removed from cache)" : ""}`);
      } else {
        this.#say("warning", "not-yet-in-inventory", `new archive not yet in inventory: ${ref}`);
      }
    }
    return this.#plan;
  }

  #insert(archive: InventoryArchive, name: string): void {
    this.#plan.inserts.push({
      id: archive.archiveId,
      vault: this.#input.vault,
      name,
      treeHash: archive.treeHash,
      size: archive.size,
      lastSeenUpstream: this.#seen,
      createdHere: this.#input.now,
      deletedHere: null,
      creationDate: archive.creationDate,
    });
    // The fork's text (%s, no quotes).
    this.#say("warning", "added", `archive ${name} (${archive.archiveId}) present upstream but not in cache - added`);
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
      if (row.deletedHere < inventoryDate) this.#say("warning", "deleted-still-present", `archive ${ref} marked deleted but still present`);
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
