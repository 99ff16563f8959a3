// Object keys of a vault migrated to S3 (docs/migrate.md#object-keys): each archive goes to
// PREFIX + its decoded name (ours, mt-aws-glacier's, FastGlacier's or the plain description) when
// that name is a usable key; several archives with one name are kept apart by a suffix made of the
// upload time and a hash of the archive id, the newest keeping the plain key; everything else goes to
// PREFIX + "by-id/" + ARCHIVEID. A pure function of the whole inventory, so every machine (and every
// shard, docs/migrate.md#shards) that sees the same inventory computes the same keys.
import { createHash } from "node:crypto";
import { newestFirst, uploadedAt } from "./live-archives.ts";
import type { CachedArchive } from "./types.ts";

/** S3: "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long." */
export const MAX_KEY_BYTES = 1024;
/** Where archives without a usable name go, under the prefix. Names under it are not usable keys. */
export const BY_ID_FOLDER = "by-id/";
/** Where a committed migration puts its report, under the prefix (docs/migrate.md#the-report). */
export const REPORT_FOLDER = ".glacier-migrate/";

export type Placement =
  /** At PREFIX + its name. */
  | "name"
  /** An older archive of a name several archives share: PREFIX + name + "~TIME~HASH". */
  | "older"
  /** At PREFIX + "by-id/" + its id. */
  | "by-id";

export interface KeyedArchive {
  readonly archive: CachedArchive;
  /** The whole object key, prefix included. */
  readonly key: string;
  readonly placement: Placement;
}

/**
 * The key is made when asked for: every key shares the prefix, so the plan keeps and sorts only what
 * follows it (for most archives the name string itself), which saves a string per archive of a vault
 * of millions.
 */
class Keyed implements KeyedArchive {
  constructor(
    readonly archive: CachedArchive,
    readonly placement: Placement,
    readonly prefix: string,
    /** The key after the prefix. */
    readonly rest: string,
  ) {}

  get key(): string {
    return this.prefix + this.rest;
  }
}

/** U+0000-U+001F or U+007F. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
/** An empty, "." or ".." segment between slashes or at either end (no split: millions of names). */
const BAD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a name cannot be a key as it is, or undefined when it can. Control characters would break the
 * one-key-per-line listings and most cannot travel in S3's XML; empty, "." and ".." path segments
 * make objects that `aws s3 cp --recursive` and similar tools cannot write back as files.
 */
export function unusableName(name: string | null, prefix: string): string | undefined {
  if (name === null || name === "") return "no name";
  if (hasControlCharacter(name) || LONE_SURROGATE.test(name)) return "control characters or invalid text";
  if (BAD_SEGMENT.test(name)) return "an empty, . or .. path segment";
  if (name.startsWith(BY_ID_FOLDER)) return `under ${BY_ID_FOLDER}, which holds archives without a usable name`;
  if (name.startsWith(REPORT_FOLDER)) return `under ${REPORT_FOLDER}, which holds the migration's report`;
  if (Buffer.byteLength(prefix + name, "utf8") > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes as a key`;
  return undefined;
}

/** "20260102T030405Z", or "undated" when the upload time is unknown. */
function compactTime(ms: number | null): string {
  return ms === null ? "undated" : new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

/** The first 12 hex digits of SHA-256(archive id): short, and the same on every machine. */
export function idDigest(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 12);
}

/**
 * Another naming of the objects than the decoded names: `objectName` gives the name after the prefix,
 * or undefined for an archive that goes by id; an older archive of a shared name goes by id too (the
 * git-annex layout, docs/migrate.md#git-annex-repositories: one object per key).
 */
export interface KeyLayout {
  objectName(name: string | null): string | undefined;
}

/**
 * The key of every live archive (rows marked deleted here are left out; superseded old versions are
 * archives like any other). The result is sorted by key.
 */
export function assignKeys(archives: Iterable<CachedArchive>, prefix: string, layout?: KeyLayout): KeyedArchive[] {
  // name -> its archive, or its archives when there are several (a million names: no array for each).
  const groups = new Map<string, CachedArchive | CachedArchive[]>();
  const out: Keyed[] = [];
  const byId = (archive: CachedArchive) => new Keyed(archive, "by-id", prefix, BY_ID_FOLDER + archive.id);
  for (const archive of archives) {
    if (archive.deletedHere !== null) continue;
    const name = layout ? layout.objectName(archive.name) : archive.name;
    if (name === undefined || name === null || unusableName(name, prefix) !== undefined) {
      out.push(byId(archive));
      continue;
    }
    const group = groups.get(name);
    if (group === undefined) groups.set(name, archive);
    else if (Array.isArray(group)) group.push(archive);
    else groups.set(name, [group, archive]);
  }
  // A suffixed key "NAME~TIME~HASH" can only be another archive's plain key if that name holds a "~".
  const taken = new Set<string>();
  for (const name of groups.keys()) if (name.includes("~")) taken.add(name);
  for (const [name, group] of groups) {
    if (!Array.isArray(group)) {
      out.push(new Keyed(group, "name", prefix, name));
      continue;
    }
    const [newest, ...olders] = group.sort(newestFirst);
    if (newest) out.push(new Keyed(newest, "name", prefix, name));
    for (const older of olders) {
      const rest = `${name}~${compactTime(uploadedAt(older))}~${idDigest(older.id)}`;
      // A suffixed key that some other name already is (or too long a key) cannot be used: by id then.
      if (layout || taken.has(rest) || Buffer.byteLength(prefix + rest, "utf8") > MAX_KEY_BYTES) out.push(byId(older));
      else {
        taken.add(rest);
        out.push(new Keyed(older, "older", prefix, rest));
      }
    }
  }
  // Every key starts with the prefix, so the order of what follows it is the order of the keys.
  return out.sort((a, b) => (a.rest < b.rest ? -1 : a.rest > b.rest ? 1 : 0));
}
