// Files git-annex names in TRANSFER requests, as the upload and download engines want them. "Paths
// are relative to the remote's working directory" and arrive as bytes: a valid UTF-8 path becomes an
// absolute path string (the engines then resume interrupted work); any other path is opened by its
// bytes (Node accepts a Buffer path), streamed, and never decoded.
import { createReadStream, createWriteStream } from "node:fs";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The absolute path for a File, or undefined when its bytes are not valid UTF-8. */
export function filePath(file: Uint8Array, cwd: string): string | undefined {
  try {
    return resolve(cwd, strictUtf8.decode(file));
  } catch {
    return undefined;
  }
}

/** Upload source for a File: a path (size known, multipart resume) or a stream over the raw bytes path. */
export function uploadSource(file: Uint8Array, cwd: string): { path: string } | { stream: Readable; name: string } {
  const path = filePath(file, cwd);
  if (path !== undefined) return { path };
  return { stream: createReadStream(Buffer.from(file)), name: Buffer.from(file).toString("latin1") };
}

/** Download target for a File: a path (temp file, rename, resume) or a stream to the raw bytes path. */
export function downloadTarget(file: Uint8Array, cwd: string): { path: string } | { stream: Writable } {
  const path = filePath(file, cwd);
  if (path !== undefined) return { path };
  return { stream: createWriteStream(Buffer.from(file)) };
}

/** PROGRESS from a synchronous callback: sent in order, and awaited before the request's reply. */
export function progressSender(send: (bytes: number) => Promise<void>): {
  update(bytes: number): void;
  flush(): Promise<void>;
} {
  let chain = Promise.resolve();
  let last = -1;
  return {
    update(bytes) {
      if (bytes === last) return;
      last = bytes;
      chain = chain.then(() => send(bytes)).catch(() => undefined);
    },
    flush: () => chain,
  };
}
