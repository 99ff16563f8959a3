// Where upload bytes come from: a file read at positions (size known up front, so it can be
// resumed and checked for changes) or a stream such as stdin (size unknown, read once, in order).
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { FileChangedError, FileError, describeSystemError } from "../core/errors.ts";

export interface FileIdentity {
  size: number;
  mtimeMs: number;
}

export class FileSource {
  private constructor(
    readonly path: string,
    readonly handle: FileHandle,
    readonly identity: FileIdentity,
  ) {}

  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      throw new FileError(path, describeSystemError(error), { cause: error });
    }
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw new FileError(path, "Is a directory");
      if (!info.isFile()) throw new FileError(path, "not a regular file (use - to upload from standard input)");
      // docs/glacier-api.md#tree-hash: "Archives are documented as 1 byte ... ~40 TB; reject 0-byte uploads".
      if (info.size === 0) throw new FileError(path, "file is empty, and Glacier cannot store an empty archive");
      return new FileSource(path, handle, { size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      await handle.close();
      throw error instanceof FileError ? error : new FileError(path, describeSystemError(error), { cause: error });
    }
  }

  /** Fills target with the bytes at position; a short read means the file shrank. */
  async readExactly(target: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await this.handle
        .read(target, done, target.length - done, position + done)
        .catch((error: unknown) => {
          throw new FileError(this.path, describeSystemError(error), { cause: error });
        });
      if (bytesRead === 0) throw this.changed();
      done += bytesRead;
    }
  }

  /** Throws when size or mtime differ from when the file was opened, or bytes follow the end. */
  async checkUnchanged(): Promise<void> {
    const info = await this.handle.stat();
    const probe = Buffer.alloc(1);
    const { bytesRead } = await this.handle.read(probe, 0, 1, this.identity.size);
    if (info.size !== this.identity.size || info.mtimeMs !== this.identity.mtimeMs || bytesRead !== 0)
      throw this.changed();
  }

  /** Set once a change was detected: the caller must then leave nothing behind. */
  wasChanged = false;

  changed(): FileError {
    this.wasChanged = true;
    return new FileChangedError(this.path, "file changed while it was being uploaded; nothing was stored");
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Reads a stream into caller-provided buffers, keeping whatever is left of the last chunk. */
export class StreamSource {
  readonly #iterator: AsyncIterator<unknown>;
  #leftover: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(
    readonly name: string,
    stream: Readable,
  ) {
    this.#iterator = stream[Symbol.asyncIterator]();
  }

  /** Fills target as far as the stream goes; returns the byte count (less than target.length only at the end). */
  async fill(target: Buffer): Promise<number> {
    let done = 0;
    while (done < target.length) {
      if (this.#leftover.length === 0) {
        if (this.#ended) break;
        const next = await this.#iterator.next().catch((error: unknown) => {
          throw new FileError(this.name, describeSystemError(error), { cause: error });
        });
        if (next.done) {
          this.#ended = true;
          break;
        }
        const value = next.value;
        this.#leftover = Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array | string);
        continue;
      }
      const take = Math.min(this.#leftover.length, target.length - done);
      this.#leftover.copy(target, done, 0, take);
      this.#leftover = this.#leftover.subarray(take);
      done += take;
    }
    return done;
  }

  /** True once the stream has no more bytes (reads ahead one chunk if needed). */
  async atEnd(): Promise<boolean> {
    if (this.#leftover.length > 0) return false;
    if (this.#ended) return true;
    const probe = Buffer.alloc(1);
    const got = await this.fill(probe);
    if (got === 0) return true;
    this.#leftover = Buffer.concat([probe, this.#leftover]);
    return false;
  }
}
