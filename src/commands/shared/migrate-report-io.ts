// The report of a committed migration (docs/migrate.md#the-report): written from the ledger at the end
// of every run to local files (a temporary name, then renamed, so a reader never sees half a report),
// and once the shard is complete uploaded next to the objects under PREFIX/.glacier-migrate/.
import { createHash } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import type { GlacierPort } from "../../backend/port.ts";
import type { MigrationEntry } from "../../cache/migration-ledger.ts";
import { FileError } from "../../core/errors.ts";
import { REPORT_FOLDER } from "../../core/migrate-keys.ts";
import { reportCsvHeader, reportCsvRow, reportEntry, reportJsonLine } from "../../core/migrate-report.ts";
import { descriptionForName } from "../../core/names.ts";
import type { Shard } from "../../core/shard.ts";
import { treeHash } from "../../core/tree-hash.ts";
import type { CachedArchive } from "../../core/types.ts";

export interface ReportText {
  jsonl: string;
  csv: string;
}

/** The report's two files: BASE.jsonl and BASE.csv (a given .jsonl or .csv ending is BASE's). */
export function reportPaths(base: string): ReportText {
  const stem = base.replace(/\.(jsonl|csv)$/i, "");
  return { jsonl: `${stem}.jsonl`, csv: `${stem}.csv` };
}

/** The report's name under the prefix, by vault and shard (shards must not overwrite each other's). */
export function reportNames(vault: string, shard: Shard | undefined): ReportText {
  const stem = REPORT_FOLDER + vault + (shard && shard.count > 1 ? `.shard-${shard.index}-of-${shard.count}` : "");
  return { jsonl: `${stem}.jsonl`, csv: `${stem}.csv` };
}

/** One entry per ledger row, in the ledger's order (by key). */
export function reportText(
  entries: readonly MigrationEntry[],
  archives: ReadonlyMap<string, CachedArchive>,
): ReportText {
  let jsonl = "";
  let csv = reportCsvHeader();
  for (const row of entries) {
    const archive = archives.get(row.archiveId) ?? unknownArchive(row);
    const entry = reportEntry(archive, row);
    jsonl += reportJsonLine(entry);
    csv += reportCsvRow(entry);
  }
  return { jsonl, csv };
}

/** An archive the cache no longer holds (its row pruned): what the ledger knows of it. */
function unknownArchive(row: MigrationEntry): CachedArchive {
  return {
    id: row.archiveId,
    vault: row.vault,
    name: null,
    treeHash: row.treeHash,
    size: row.size,
    lastSeenUpstream: null,
    createdHere: null,
    deletedHere: null,
    creationDate: null,
  };
}

export async function writeReportFiles(paths: ReportText, text: ReportText): Promise<void> {
  await writeAtomically(paths.jsonl, text.jsonl);
  await writeAtomically(paths.csv, text.csv);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.partial`;
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new FileError(path, (error as Error).message, { cause: error });
  }
}

/** Uploads both files to the target address (one PutObject each). */
export async function uploadReport(port: GlacierPort, address: string, names: ReportText, text: ReportText) {
  for (const [name, body] of [
    [names.jsonl, Buffer.from(text.jsonl)],
    [names.csv, Buffer.from(text.csv)],
  ] as const) {
    await port.uploadArchive({
      vault: address,
      description: descriptionForName(name),
      body,
      treeHash: treeHash(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
  }
}
