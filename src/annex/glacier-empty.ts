// Keys of empty content (`-s0`): Glacier cannot store an empty archive, and none is needed, since
// the key itself says what the content is. STORE records in the per-key state that the remote holds
// the key; CHECKPRESENT answers from that record, RETRIEVE writes an empty File, REMOVE forgets it.
// An encrypted key hides its size (`GPGHMACSHA1--...`) and its content is never empty, so it takes
// the ordinary path; a chunk key keeps the whole file's size, so an empty file's one chunk is `-s0`.
import { stat, writeFile } from "node:fs/promises";
import { annexKeySize } from "../core/annex-key.ts";
import { ConsoleError } from "../core/errors.ts";
import { filePath } from "./glacier-files.ts";
import { latin1 } from "./wire.ts";

/** The per-key state of a stored empty key (an archive's state starts with its id, never with this). */
export const EMPTY_STATE = "empty-content";

export function isEmptyKey(key: Uint8Array): boolean {
  return annexKeySize(latin1(key)) === 0;
}

function localPath(file: Uint8Array, cwd: string): string | Buffer {
  return filePath(file, cwd) ?? Buffer.from(file);
}

/** STORE of an empty key: the File must be empty too, or the key is not what it says. */
export async function checkEmptyFile(file: Uint8Array, cwd: string): Promise<void> {
  const { size } = await stat(localPath(file, cwd)).catch((error: unknown) => {
    throw new ConsoleError(
      `cannot read the file to store: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  });
  if (size !== 0) throw new ConsoleError(`the key declares empty content (s0) but the file has ${size} bytes`);
}

/** RETRIEVE of an empty key: the File, empty (replacing a partial download, if any). */
export async function writeEmptyFile(file: Uint8Array, cwd: string): Promise<void> {
  await writeFile(localPath(file, cwd), new Uint8Array(0));
}
