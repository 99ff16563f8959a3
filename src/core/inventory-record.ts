// Checks one archive entry of an inventory (docs/glacier-api.md#inventories: ArchiveId, ArchiveDescription,
// CreationDate, Size, SHA256TreeHash) and turns it into our InventoryArchive. Shared by the JSON
// and CSV parsers so both reject the same things with the same words.
import { ConsoleError } from "./errors.ts";
import type { InventoryArchive } from "./types.ts";

// docs/glacier-api.md#data-formats: "real inventories show second precision ... Clients must parse both".
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** ISO-8601 UTC (`2013-11-06T02:51:29Z`, with or without fraction) -> epoch ms. */
export function parseIsoDate(text: string): number | undefined {
  if (!ISO_UTC.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

// 1,024 for Glacier; an S3 key of 1,024 UTF-8 bytes needs more as a gcli1 description (docs/backends.md#s3-mapping).
const MAX_DESCRIPTION = 2048;
/** Glacier's IDs are 138 characters; room is left for other services' longer ones. */
const MAX_ARCHIVE_ID = 2048;

export function malformedInventory(detail: string): ConsoleError {
  return new ConsoleError(`malformed inventory: ${detail}`);
}

export interface RawArchiveFields {
  ArchiveId?: unknown;
  ArchiveDescription?: unknown;
  CreationDate?: unknown;
  Size?: unknown;
  SHA256TreeHash?: unknown;
}

/** `position` names the entry in messages ("archive 3", "line 4"). */
export function toInventoryArchive(fields: RawArchiveFields, position: string): InventoryArchive {
  const bad = (what: string) => malformedInventory(`${position}: ${what}`);
  const {
    ArchiveId: id,
    ArchiveDescription: description,
    CreationDate: created,
    Size: size,
    SHA256TreeHash: hash,
  } = fields;
  if (typeof id !== "string" || id === "") throw bad("ArchiveId is missing");
  // "ArchiveDescription is "" when none" (docs/glacier-api.md#inventories); some writers send null.
  if (description !== undefined && description !== null && typeof description !== "string")
    throw bad("ArchiveDescription is not a string");
  // docs/glacier-api.md#data-formats: a description is at most 1,024 characters, an archive ID 138. Anything far
  // longer is not Glacier's (a hostile or broken inventory would otherwise put megabytes into
  // every later cache read and message).
  if (typeof description === "string" && description.length > MAX_DESCRIPTION)
    throw bad(`ArchiveDescription is longer than ${MAX_DESCRIPTION} characters`);
  if (id.length > MAX_ARCHIVE_ID) throw bad(`ArchiveId is longer than ${MAX_ARCHIVE_ID} characters`);
  const creationDate = typeof created === "string" ? parseIsoDate(created) : undefined;
  if (creationDate === undefined)
    throw bad(`CreationDate is not an ISO-8601 UTC date: ${JSON.stringify(created ?? null)}`);
  const bytes = typeof size === "string" && /^\d+$/.test(size) ? Number(size) : size;
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0)
    throw bad(`Size is not a byte count: ${JSON.stringify(size ?? null)}`);
  if (typeof hash !== "string" || !/^[0-9a-fA-F]{64}$/.test(hash))
    throw bad("SHA256TreeHash is not a SHA-256 hex digest");
  return { archiveId: id, description: description ?? "", creationDate, size: bytes, treeHash: hash.toLowerCase() };
}
