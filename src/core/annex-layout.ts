// git-annex keys as S3 object names (docs/migrate.md#git-annex-repositories). A vault written by
// git-annex's built-in `type=glacier` remote or by our external remote names each archive
// `fileprefix` + key (docs/annex-protocol.md#built-in-glacier-remote); chunked, the key is a chunk
// key. Our remote on S3 looks for `PREFIX` + its own `fileprefix` + the same key (docs/annex-s3.md),
// so an archive whose name is the vault's fileprefix + a key moves to PREFIX + that key.
import { annexKeySize, isAnnexKey } from "./annex-key.ts";
import { unusableName } from "./migrate-keys.ts";

/** The git-annex key an archive name holds after `filePrefix`, or undefined when it holds none. */
export function annexKeyOfName(name: string | null, filePrefix: string): string | undefined {
  if (name === null || !name.startsWith(filePrefix)) return undefined;
  const key = name.slice(filePrefix.length);
  if (!isAnnexKey(key) || unusableName(key, "") !== undefined) return undefined;
  return key;
}

/** One object a key is stored as: the key itself, or one chunk of it. */
export interface KeyObject {
  name: string;
  /** Bytes, when the key says (an encrypted or WORM key may not). */
  size: number | undefined;
}

/**
 * The chunk keys of `key` stored with `chunk=` of `chunkSize` bytes: the key's fields, then
 * `-SCHUNKSIZE-CN`, numbered from 1 (git-annex's Key serialisation, fields in the order
 * b-s-m-S-C). Unchunked (chunkSize undefined), the key itself. A chunked key without a size cannot
 * be split: undefined.
 */
export function keyObjects(key: string, chunkSize: number | undefined): KeyObject[] | undefined {
  const size = annexKeySize(key);
  if (chunkSize === undefined) return [{ name: key, size }];
  if (size === undefined) return undefined;
  const split = key.indexOf("--");
  const head = key.slice(0, split);
  const tail = key.slice(split);
  const count = Math.max(1, Math.ceil(size / chunkSize));
  const objects: KeyObject[] = [];
  for (let n = 1; n <= count; n++) {
    objects.push({
      name: `${head}-S${chunkSize}-C${n}${tail}`,
      size: Math.min(chunkSize, size - (n - 1) * chunkSize),
    });
  }
  return objects;
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
  tb: 1e12,
  tib: 1024 ** 4,
};

/**
 * A `chunk=` setting as git-annex reads it ("1MiB", "500kB", "1 GB"; decimal units are powers of
 * 1000, binary ones of 1024, https://git-annex.branchable.com/chunking/), or undefined when unset.
 * NaN when it cannot be read: the caller refuses it.
 */
export function chunkSetting(value: string | undefined): number | undefined {
  if (value === undefined || value === "" || value === "0") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value.trim());
  const unit = match ? UNITS[(match[2] ?? "").toLowerCase() || "b"] : undefined;
  if (!match || unit === undefined) return Number.NaN;
  return Math.floor(Number(match[1]) * unit);
}
