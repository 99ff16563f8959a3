// Where each archive of a committed migration goes (docs/migrate.md#committing). The plan's keys are
// a function of the inventory, which changes as archives are uploaded or deleted (by --delete-source
// too); an object already started or written must not move, so an archive in the ledger keeps the
// key recorded there, and a new archive whose planned key an archive in the ledger holds goes by id.
import { BY_ID_FOLDER, type KeyedArchive } from "./migrate-keys.ts";
import type { StepItem } from "./migrate-step.ts";

export interface LedgerTarget {
  archiveId: string;
  targetKey: string;
}

export interface Targets {
  /** Every item of the plan at its key. */
  items: StepItem[];
  /** Items the ledger does not hold yet (to record as `planned`), with their inventory tree hash. */
  fresh: (StepItem & { treeHash: string | null })[];
}

export function migrationTargets(
  planned: readonly KeyedArchive[],
  ledger: Iterable<LedgerTarget>,
  prefix: string,
): Targets {
  const keyOf = new Map<string, string>();
  const holder = new Map<string, string>();
  for (const row of ledger) {
    keyOf.set(row.archiveId, row.targetKey);
    holder.set(row.targetKey, row.archiveId);
  }
  const items: StepItem[] = [];
  const fresh: Targets["fresh"] = [];
  for (const { archive, key } of planned) {
    const size = archive.size ?? 0;
    const recorded = keyOf.get(archive.id);
    if (recorded !== undefined) {
      items.push({ archiveId: archive.id, key: recorded, size });
      continue;
    }
    const taken = holder.get(key);
    const item = {
      archiveId: archive.id,
      key: taken !== undefined && taken !== archive.id ? prefix + BY_ID_FOLDER + archive.id : key,
      size,
    };
    items.push(item);
    fresh.push({ ...item, treeHash: archive.treeHash });
  }
  return { items, fresh };
}
