// The journal file: one header line, then one line per transaction, each a JSON
// object {"t":[op,...]} ending in "\n". A line is the unit of atomicity: a transaction whose line is
// not complete never happened. Lines are only ever appended (by the lock holder), and the file is only
// ever replaced whole, by rename, at a checkpoint.
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { CacheError, describeSystemError } from "../core/errors.ts";
import { OP_NAMES, type Op } from "./ops.ts";

export const JOURNAL_VERSION = 1;

/**
 * What a user does about a damaged or lost journal: the vault itself is the truth
 * (docs/cache.md#damage-and-recovery).
 */
export const JOURNAL_RECOVERY =
  'run "glacier vault sync --max-age 0 VAULT" for each vault to take its records from a fresh inventory';
const NEWLINE = 0x0a;

export interface JournalHeader {
  version: number;
  /** The checkpoint generation this journal continues; lines apply to the database of that generation. */
  generation: number;
}

/** `nonce` tells two journals apart even when the filesystem reuses an inode number. */
export function encodeHeader(generation: number, nonce: string): string {
  return `${JSON.stringify({ glacierCacheJournal: JOURNAL_VERSION, generation, nonce })}\n`;
}

export function encodeTransaction(ops: readonly Op[]): string {
  return `${JSON.stringify({ t: ops })}\n`;
}

function newer(path: string, what: string): CacheError {
  return new CacheError(
    `${path}: the archive cache journal was written by a newer version of glacier (${what}); upgrade glacier`,
  );
}

export function parseHeader(line: string, path: string): JournalHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new CacheError(`${path}: not an archive cache journal (bad header line)`);
  }
  const h = value as { glacierCacheJournal?: unknown; generation?: unknown };
  if (typeof h.glacierCacheJournal !== "number" || typeof h.generation !== "number") {
    throw new CacheError(`${path}: not an archive cache journal (bad header line)`);
  }
  if (h.glacierCacheJournal > JOURNAL_VERSION)
    throw newer(path, `format ${h.glacierCacheJournal}, this one reads ${JOURNAL_VERSION}`);
  return { version: h.glacierCacheJournal, generation: h.generation };
}

/**
 * The complete transactions in `bytes`. `consumed` stops after the last "\n": what follows is a line
 * still being written by another process, or torn by a crash (the lock holder decides which).
 * A complete line that does not parse is corruption, not a torn write, and is an error.
 */
export function decodeTransactions(
  bytes: Buffer,
  path: string,
  at: number,
): { transactions: Op[][]; consumed: number } {
  const transactions: Op[][] = [];
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    const text = bytes.toString("utf8", start, end);
    let ops: unknown;
    try {
      ops = (JSON.parse(text) as { t?: unknown }).t;
    } catch {
      ops = undefined;
    }
    if (!Array.isArray(ops)) {
      throw new CacheError(
        `${path}: the archive cache journal is corrupt at byte ${at + start}; move it aside and ${JOURNAL_RECOVERY}`,
      );
    }
    for (const op of ops as ({ op?: unknown } | null | undefined)[]) {
      if (typeof op?.op !== "string" || !OP_NAMES.has(op.op))
        throw newer(path, `unknown record ${JSON.stringify(op?.op)}`);
    }
    transactions.push(ops as Op[]);
    start = end + 1;
  }
  return { transactions, consumed: start };
}

export interface JournalRead {
  ino: number;
  size: number;
  mtimeMs: number;
  /** The first `headLength` bytes (to check that an inode number was not reused by a new journal). */
  head: Buffer;
  bytes: Buffer;
}

/** Reads the journal from `from` to its end; undefined when there is no journal. */
export function readJournal(path: string, from: number, headLength = 0): JournalRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CacheError(`${path}: cannot read the archive cache journal: ${describeSystemError(error)}`, {
      cause: error,
    });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new CacheError(
        `${path}: the archive cache journal is not a regular file; move it aside and ${JOURNAL_RECOVERY}`,
      );
    const { ino, size, mtimeMs } = st;
    const head = Buffer.alloc(headLength);
    if (headLength > 0) readSync(fd, head, 0, headLength, 0);
    const bytes = Buffer.allocUnsafe(Math.max(0, size - from));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return { ino, size, mtimeMs, head, bytes: bytes.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}

/** The journal's identity and size without reading it (the per-query freshness check). */
export function statJournal(path: string): { ino: number; size: number; mtimeMs: number } | undefined {
  try {
    const { ino, size, mtimeMs } = statSync(path);
    return { ino, size, mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Writes text at `offset` (the end of the last complete line) and fdatasyncs it. On failure the file is
 * cut back to `offset`, so a partial write (a full disk) leaves no half line behind.
 */
export function appendDurably(path: string, offset: number, text: string): number {
  const bytes = Buffer.from(text, "utf8");
  const fd = openSync(path, "r+");
  try {
    try {
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
      fdatasyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, offset);
      } catch {
        // The original error is the one to report.
      }
      throw error;
    }
  } finally {
    closeSync(fd);
  }
  return bytes.length;
}

/** Cuts a torn tail off (lock holder only). */
export function truncateJournal(path: string, size: number): void {
  const fd = openSync(path, "r+");
  try {
    ftruncateSync(fd, size);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
