// The record of a migration (docs/migrate.md#the-report): one entry per archive, written as JSON lines
// and as CSV (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180), locally and next to the objects.
// Pure: the entries come in, text goes out.
import type { CachedArchive } from "./types.ts";

export interface ReportEntry {
  archiveId: string;
  /** The archive's description as the cache holds it: its decoded name (README.md "Archive names"). */
  description: string | null;
  /** The object key, prefix included. */
  key: string;
  size: number | null;
  treeHash: string | null;
  s3Checksum: string | null;
  /** Epoch ms: the archive's creation in the vault, its retrieval request, its object verified. */
  createdAt: number | null;
  requestedAt: number | null;
  verifiedAt: number | null;
  /** Epoch ms: the source archive deleted from the vault (--delete-source). */
  deletedAt: number | null;
  /** The ledger state: `verified` or `deleted` once migrated (docs/migrate.md#the-ledger). */
  state: string;
}

/** The CSV header, and the order of the fields in both formats. */
export const REPORT_COLUMNS = [
  "archive_id",
  "description",
  "key",
  "size",
  "tree_hash",
  "s3_checksum",
  "created",
  "requested",
  "verified",
  "deleted",
  "state",
] as const;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function fields(e: ReportEntry): (string | number | null)[] {
  return [
    e.archiveId,
    e.description,
    e.key,
    e.size,
    e.treeHash,
    e.s3Checksum,
    iso(e.createdAt),
    iso(e.requestedAt),
    iso(e.verifiedAt),
    iso(e.deletedAt),
    e.state,
  ];
}

/** One JSON object per line; times in ISO 8601 UTC, unknown values null. */
export function reportJsonLine(entry: ReportEntry): string {
  const values = fields(entry);
  return `${JSON.stringify(Object.fromEntries(REPORT_COLUMNS.map((column, i) => [column, values[i]])))}\n`;
}

/**
 * RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes doubled;
 * fields with leading or trailing spaces are quoted too, since many readers trim unquoted fields.
 * Lines end in CRLF, as the RFC says. An unknown value is an empty field.
 */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsvHeader(): string {
  return `${REPORT_COLUMNS.join(",")}\r\n`;
}

export function reportCsvRow(entry: ReportEntry): string {
  return `${fields(entry).map(csvField).join(",")}\r\n`;
}

/** A report entry from what the cache knows of the archive and what the ledger recorded of its copy. */
export function reportEntry(
  archive: CachedArchive,
  copy: {
    targetKey: string;
    s3Checksum: string | null;
    treeHash: string | null;
    state: string;
    times: { requested?: number; verified?: number; deleted?: number };
  },
): ReportEntry {
  return {
    archiveId: archive.id,
    description: archive.name,
    key: copy.targetKey,
    size: archive.size,
    treeHash: copy.treeHash ?? archive.treeHash,
    s3Checksum: copy.s3Checksum,
    createdAt: archive.creationDate,
    requestedAt: copy.times.requested ?? null,
    verifiedAt: copy.times.verified ?? null,
    deletedAt: copy.times.deleted ?? null,
    state: copy.state,
  };
}
