// The point-in-time manifest: each committed reconcile also uploads a small manifest archive
// (name -> archive id, size, tree hash, time) and `vault restore --manifest NAME` restores exactly
// that snapshot, so a sparsebundle is never rebuilt from bands of different days.
//
// Format: UTF-8 JSON lines. The first line is the header, then one line per archive, sorted by name
// (the header is shown on two lines here; in a manifest it is one):
//   {"format":"glacier-cli-manifest","version":1,"vault":"tm","prefix":"mac/",
//    "createdAt":"2026-06-01T12:00:00.000Z","entries":2}
//   {"name":"mac/bands/0","archiveId":"...","size":8388608,"treeHash":"<64 hex>","time":"2026-05-30T08:00:00.000Z"}
// Version 2 adds the rest of the tree (core/tree-entry.ts): "mode" and "mtime" on archive lines, and
// lines with a "kind" for folders, empty files and symbolic links. Version 1 manifests are still read.
// JSON lines so that a manifest of 100,000 bands can be written and checked line by line, and an
// error can name its line. "entries" makes a truncated manifest detectable. Readers refuse a newer
// version instead of guessing.
import { normalizePrefix, stripPrefix, type ArchivePrefix } from "./archive-prefix.ts";
import { ConsoleError, defined } from "./errors.ts";
import { byName, liveArchives, uploadedAt } from "./live-archives.ts";
import { decodeMeta, decodeNode, encodeNode, type FileMeta, type TreeNode } from "./tree-entry.ts";
import type { CachedArchive } from "./types.ts";

export const MANIFEST_FORMAT = "glacier-cli-manifest";
export const MANIFEST_VERSION = 2;

export interface ManifestEntry {
  name: string;
  archiveId: string;
  size: number;
  treeHash: string;
  /** When the archive was uploaded (epoch ms). */
  time: number;
  /** The file's mode and mtime (absent in version 1 manifests). */
  meta?: FileMeta;
}

export interface Manifest {
  vault: string;
  prefix: ArchivePrefix;
  /** When the snapshot was taken (epoch ms). */
  createdAt: number;
  /** Sorted by name, one per name. */
  entries: ManifestEntry[];
  /** Folders, empty files and symbolic links (none in version 1 manifests); names unique among all. */
  nodes: TreeNode[];
}

const TREE_HASH = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function encodeManifest(manifest: Manifest): string {
  const records: { name: string; line: Record<string, unknown> }[] = manifest.entries.map((e) => ({
    name: e.name,
    line: {
      name: e.name,
      archiveId: e.archiveId,
      size: e.size,
      treeHash: e.treeHash,
      time: new Date(e.time).toISOString(),
      ...e.meta,
    },
  }));
  for (const node of manifest.nodes) records.push({ name: node.name, line: encodeNode(node) });
  records.sort((a, b) => byName(a.name, b.name));
  const header = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    vault: manifest.vault,
    prefix: manifest.prefix,
    createdAt: new Date(manifest.createdAt).toISOString(),
    entries: records.length,
  };
  const lines = [JSON.stringify(header)];
  for (const r of records) lines.push(JSON.stringify(r.line));
  return `${lines.join("\n")}\n`;
}

/**
 * The manifest of the live archives under the prefix (the newest per name). Archives whose size,
 * tree hash or upload time the cache does not know cannot be restored exactly: they are returned
 * apart, for the caller to refuse or warn about.
 */
export function snapshotManifest(
  cached: readonly CachedArchive[],
  vault: string,
  prefix: ArchivePrefix,
  createdAt: number,
): { manifest: Manifest; incomplete: CachedArchive[] } {
  const entries: ManifestEntry[] = [];
  const incomplete: CachedArchive[] = [];
  for (const [name, archive] of liveArchives(cached, prefix).newest) {
    const time = uploadedAt(archive);
    if (archive.size === null || archive.treeHash === null || time === null) incomplete.push(archive);
    else entries.push({ name, archiveId: archive.id, size: archive.size, treeHash: archive.treeHash, time });
  }
  return { manifest: { vault, prefix, createdAt, entries, nodes: [] }, incomplete };
}

/** Reads a manifest; anything malformed is one ConsoleError "<origin>: not a manifest: <why>". */
export function decodeManifest(data: string | Uint8Array, origin: string): Manifest {
  const fail = (why: string): never => {
    throw new ConsoleError(`${origin}: not a manifest: ${why}`);
  };
  let text: string;
  if (typeof data === "string") text = data;
  else {
    try {
      text = utf8.decode(data);
    } catch {
      return fail("not UTF-8 text");
    }
  }
  if (text === "") fail("empty");
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const record = (index: number): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(defined(lines[index], "lines[index]"));
    } catch {
      return fail(`line ${index + 1} is not JSON`);
    }
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(`line ${index + 1} is not a JSON object`);
  };
  const time = (value: unknown, where: string): number => {
    const ms = typeof value === "string" && ISO_TIME.test(value) ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? fail(`${where} must be a UTC time like 2026-06-01T12:00:00.000Z`) : ms;
  };

  const header = record(0);
  if (header.format !== MANIFEST_FORMAT) fail(`line 1: format must be "${MANIFEST_FORMAT}"`);
  if (typeof header.version !== "number" || !Number.isSafeInteger(header.version) || header.version < 1)
    fail("line 1: version must be a whole number >= 1");
  if ((header.version as number) > MANIFEST_VERSION)
    fail(
      `format version ${header.version as number} is newer than this glacier-cli reads (${MANIFEST_VERSION}` +
        `); upgrade glacier-cli`,
    );
  const vault =
    typeof header.vault === "string" && header.vault !== ""
      ? header.vault
      : fail("line 1: vault must be a non-empty string");
  if (typeof header.prefix !== "string") fail("line 1: prefix must be a string");
  let prefix: ArchivePrefix;
  try {
    prefix = normalizePrefix(header.prefix as string);
  } catch {
    return fail(`line 1: prefix ${JSON.stringify(header.prefix)} is not a relative folder path`);
  }
  if (prefix !== header.prefix) fail(`line 1: prefix ${JSON.stringify(header.prefix)} must end in "/"`);
  const createdAt = time(header.createdAt, "line 1: createdAt");
  const count = header.entries;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0)
    fail("line 1: entries must be a whole number >= 0");
  if (lines.length - 1 !== count)
    fail(`the header announces ${count as number} entries but ${lines.length - 1} follow (truncated or edited)`);

  const entries: ManifestEntry[] = [];
  const nodes: TreeNode[] = [];
  let previous: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const at = `line ${i + 1}`;
    const failAt = (why: string): never => fail(`${at}: ${why}`);
    const r = record(i);
    const name = typeof r.name === "string" && r.name !== "" ? r.name : fail(`${at}: name must be a non-empty string`);
    if (stripPrefix(prefix, name) === undefined)
      fail(`${at}: name ${JSON.stringify(name)} is not under the prefix ${JSON.stringify(prefix)}`);
    if (previous !== undefined && byName(previous, name) >= 0) {
      fail(previous === name ? `${at}: name ${JSON.stringify(name)} appears twice` : `${at}: names are not sorted`);
    }
    previous = name;
    if (r.kind !== undefined) {
      nodes.push(decodeNode(r, name, failAt));
      continue;
    }
    const archiveId =
      typeof r.archiveId === "string" && r.archiveId !== ""
        ? r.archiveId
        : fail(`${at}: archiveId must be a non-empty string`);
    const size =
      typeof r.size === "number" && Number.isSafeInteger(r.size) && r.size >= 0
        ? r.size
        : fail(`${at}: size must be a whole number >= 0`);
    const treeHash =
      typeof r.treeHash === "string" && TREE_HASH.test(r.treeHash)
        ? r.treeHash
        : fail(`${at}: treeHash must be 64 lower-case hex digits`);
    const meta = decodeMeta(r, failAt);
    entries.push({ name, archiveId, size, treeHash, time: time(r.time, `${at}: time`), ...(meta ? { meta } : {}) });
  }
  return { vault, prefix, createdAt, entries, nodes };
}
