// File names that are not UTF-8 (core/byte-names.ts) reach file system calls as bytes (Buffer
// paths). The hashing workers and the upload engine take text paths; for such a file they are given
// /proc/self/fd/N of a descriptor opened here by its bytes, which names the same open file (Linux
// proc(5)), so the engines need no second kind of path.
import { open } from "node:fs/promises";
import { FileError, describeSystemError } from "../core/errors.ts";

export async function withTextPath<T>(
  path: string,
  fsPath: Buffer | undefined,
  work: (path: string) => Promise<T>,
): Promise<T> {
  if (!fsPath) return work(path);
  const handle = await open(fsPath, "r").catch((error: unknown) => {
    throw new FileError(path, describeSystemError(error), { cause: error });
  });
  try {
    return await work(`/proc/self/fd/${handle.fd}`);
  } finally {
    await handle.close();
  }
}
