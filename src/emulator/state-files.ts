// DIR/state.json and DIR/state.log: the emulator's records as a snapshot plus an append-only log
// of the changes made since (change-tracker.ts). Every function here runs under the store's lock.
//
// state.json is the whole state with one more top-level field, `log`: the ID of the log that
// continues it. state.log starts with the line {"log": ID} and holds one line per transaction,
// {"t": emulator time, "c": [[path, value] | [path], ...]}. A log whose ID is not the snapshot's
// (a compaction interrupted between its two renames) is already part of the snapshot: it is
// ignored and replaced. A last line without its newline (a process killed while appending) was
// never acknowledged: it is ignored and cut off before the next append.
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat, truncate, writeFile, appendFile } from "node:fs/promises";
import { type Change, applyChanges } from "./change-tracker.ts";
import type { EmulatorState } from "./state.ts";

/** The log is folded into a new snapshot once it is larger than this and than the snapshot. */
const COMPACT_MIN_BYTES = 1 << 20;

export interface LoadedState {
  state: EmulatorState;
  /** Identity of state.json when read (inode, size, mtime): another process replaced it if it differs. */
  snapshotKey: string;
  snapshotSize: number;
  /** The ID of the log that continues the snapshot (undefined: a file written before the log). */
  logId: string | undefined;
  /** Whether state.log exists and belongs to this snapshot. */
  logValid: boolean;
  /** Bytes of state.log read: whole lines only. */
  logPos: number;
  /** Emulator times of the log entries replayed by the last load or refresh (another process's changes). */
  replayed: number[];
}

export interface StatePaths {
  snapshot: string;
  log: string;
  tmp(label: string): string;
}

export async function snapshotKey(path: string): Promise<string> {
  const info = await stat(path);
  return `${info.ino}:${info.size}:${info.mtimeMs}`;
}

/** Reads state.json and replays state.log. */
export async function loadState(paths: StatePaths): Promise<LoadedState> {
  const key = await snapshotKey(paths.snapshot);
  const text = await readFile(paths.snapshot, "utf8");
  const parsed = JSON.parse(text) as EmulatorState & { log?: string };
  const logId = parsed.log;
  delete parsed.log;
  const loaded: LoadedState = {
    state: parsed,
    snapshotKey: key,
    snapshotSize: Buffer.byteLength(text),
    logId,
    logValid: false,
    logPos: 0,
    replayed: [],
  };
  if (logId === undefined) return loaded;
  const log = await readFile(paths.log).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  });
  if (log === undefined) return loaded;
  const headerEnd = log.indexOf(0x0a);
  if (headerEnd < 0 || (JSON.parse(log.subarray(0, headerEnd).toString("utf8")) as { log?: string }).log !== logId)
    return loaded;
  loaded.logValid = true;
  loaded.logPos = headerEnd + 1;
  replay(loaded, log.subarray(headerEnd + 1));
  return loaded;
}

/** Applies what other processes appended to state.log since `loaded` was read; false if state.log was replaced. */
export async function refreshState(paths: StatePaths, loaded: LoadedState): Promise<boolean> {
  loaded.replayed = [];
  if (!loaded.logValid) return true;
  const size = await stat(paths.log).then(
    (info) => info.size,
    () => -1,
  );
  if (size < loaded.logPos) return false;
  if (size === loaded.logPos) return true;
  const handle = await open(paths.log, "r");
  try {
    const tail = Buffer.alloc(size - loaded.logPos);
    const { bytesRead } = await handle.read(tail, 0, tail.length, loaded.logPos);
    replay(loaded, tail.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
  return true;
}

function replay(loaded: LoadedState, bytes: Buffer): void {
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
    const entry = JSON.parse(bytes.subarray(start, end).toString("utf8")) as { t: number; c: Change[] };
    applyChanges(loaded.state, entry.c);
    loaded.replayed.push(entry.t);
    start = end + 1;
  }
  loaded.logPos += start;
}

/** Appends one transaction's changes (or folds everything into a new snapshot when the log has grown). */
export async function appendChanges(
  paths: StatePaths,
  loaded: LoadedState,
  time: number,
  changes: Change[],
): Promise<void> {
  if (!loaded.logValid || loaded.logPos > Math.max(COMPACT_MIN_BYTES, loaded.snapshotSize))
    return compact(paths, loaded);
  // Bytes past logPos are a line a killed process left half-written: never acknowledged.
  const size = (await stat(paths.log)).size;
  if (size > loaded.logPos) await truncate(paths.log, loaded.logPos);
  const line = Buffer.from(`${JSON.stringify({ t: time, c: changes })}\n`);
  await appendFile(paths.log, line);
  loaded.logPos += line.length;
}

/**
 * Writes the whole state as a new snapshot with a new, empty log. The snapshot is renamed into
 * place first: if the process dies before the log follows, the old log's ID no longer matches, so
 * it is ignored (the snapshot already holds it).
 */
export async function compact(paths: StatePaths, loaded: LoadedState): Promise<void> {
  const logId = randomBytes(8).toString("hex");
  const snapshotTmp = paths.tmp("state.json");
  const logTmp = paths.tmp("state.log");
  const text = `${JSON.stringify({ ...loaded.state, log: logId })}\n`;
  const header = `${JSON.stringify({ log: logId })}\n`;
  try {
    await Promise.all([writeFile(snapshotTmp, text), writeFile(logTmp, header)]);
    await rename(snapshotTmp, paths.snapshot);
    await rename(logTmp, paths.log);
  } catch (error) {
    await rm(snapshotTmp, { force: true });
    await rm(logTmp, { force: true });
    throw error;
  }
  Object.assign(loaded, {
    snapshotKey: await snapshotKey(paths.snapshot),
    snapshotSize: Buffer.byteLength(text),
    logId,
    logValid: true,
    logPos: Buffer.byteLength(header),
    replayed: [],
  });
}
