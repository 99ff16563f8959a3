// The `archive list` output (docs/compatibility.md#commands, #fork-commands). Scripts such as
// glacier-list-duplicates.sh parse it, so every format is kept exactly:
// - rows ordered by name, NULLs first (SQLite's ORDER BY name); consecutive equal names form a group;
// - a one-row group prints its display ref (docs/compatibility.md#archive-refs);
// - a group of 2 or more prints every member as `id:<id>` TAB `<name>`, a NULL name as `None`;
// - --force-ids: every archive as `id:<id>\t<name>`;
// - --with-hash (fork): `<display ref>\t<hash>`, duplicates not disambiguated;
// - --force-ids --with-hash (fork): `id:<id>\t<hash>\t<name>`;
// - an empty result prints nothing, not even a newline.
import { displayRef, type ArchiveIdentity } from "./archive-ref.ts";
import { defined } from "./errors.ts";

export interface ArchiveListRow extends ArchiveIdentity {
  treeHash: string | null;
}

export interface ArchiveListOptions {
  forceIds: boolean;
  withHash: boolean;
}

/** Python prints None for a NULL column (names, and hashes of rows the original tool wrote). */
const pyStr = (value: string | null): string => value ?? "None";

/**
 * SQLite's order for `ORDER BY name`: NULL first, then text by its UTF-8 bytes, which is code point
 * order (JavaScript's `<` compares UTF-16 units and differs above U+FFFF). Ties by id, so the
 * output is stable.
 */
export function compareArchiveListRows(a: ArchiveListRow, b: ArchiveListRow): number {
  return compareNullableText(a.name, b.name) || compareCodePoints(a.id, b.id);
}

function compareNullableText(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareCodePoints(a, b);
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const diff =
      defined(x.value.codePointAt(0), "x.value.codePointAt(0)") -
      defined(y.value.codePointAt(0), "y.value.codePointAt(0)");
    if (diff !== 0) return diff;
  }
}

/**
 * The lines of `archive list` for rows already in compareArchiveListRows order (the cache sorts
 * in SQL, so millions of rows stream through without a second copy). Holds one group at a time.
 */
export function* archiveListLines(
  sortedRows: Iterable<ArchiveListRow>,
  options: ArchiveListOptions,
): Generator<string> {
  if (options.forceIds || options.withHash) {
    for (const row of sortedRows) yield singleLine(row, options);
    return;
  }
  let group: ArchiveListRow[] = [];
  for (const row of sortedRows) {
    if (group.length > 0 && defined(group[0], "group[0]").name !== row.name) {
      yield* groupLines(group);
      group = [];
    }
    group.push(row);
  }
  yield* groupLines(group);
}

function singleLine(row: ArchiveListRow, options: ArchiveListOptions): string {
  if (options.forceIds && options.withHash) return `id:${row.id}\t${pyStr(row.treeHash)}\t${pyStr(row.name)}`;
  if (options.forceIds) return `id:${row.id}\t${pyStr(row.name)}`;
  return `${displayRef(row)}\t${pyStr(row.treeHash)}`;
}

function* groupLines(group: readonly ArchiveListRow[]): Generator<string> {
  if (group.length === 1) yield displayRef(defined(group[0], "group[0]"));
  else for (const row of group) yield `id:${row.id}\t${pyStr(row.name)}`;
}

/** The whole stdout of `archive list`: sorted, one line each, "" when there is no archive. */
export function formatArchiveList(rows: readonly ArchiveListRow[], options: ArchiveListOptions): string {
  let out = "";
  for (const line of archiveListLines([...rows].sort(compareArchiveListRows), options)) out += `${line}\n`;
  return out;
}
