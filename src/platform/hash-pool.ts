// Hashes files on worker threads, one per core. A large file is split into MiB-aligned ranges so
// that even one file keeps every core busy: tree-hash chunks are independent, and the fold is cheap.
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { FileChangedError, FileError, describeSystemError, defined } from "../core/errors.ts";
import { MiB, foldHashes } from "../core/tree-hash.ts";
import type { HashReply, HashTask } from "./hash-protocol.ts";

const PIECE = 128 * MiB;

export interface FileDigest {
  path: string;
  bytes: number;
  treeHash: string;
  /** Present when asked for with { linear: true }. */
  sha256?: string;
}

/** A file's tree hash and, part by part, the tree hash and SHA-256 of its parts. */
export interface FileParts {
  treeHash: string;
  parts: { treeHash: string; sha256: string }[];
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

type Pending = { task: HashTask; resolve: (r: HashReply & { ok: true }) => void; reject: (e: unknown) => void };

export class HashPool {
  readonly #size: number;
  readonly #workerUrl: URL;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  readonly #inFlight = new Map<number, Pending>();
  #nextId = 1;

  constructor(options: { size?: number; workerUrl?: URL } = {}) {
    this.#size = Math.max(1, options.size ?? availableParallelism());
    this.#workerUrl = options.workerUrl ?? new URL("./hash-worker.js", import.meta.url);
  }

  async hashFile(path: string, options: { linear?: boolean } = {}): Promise<FileDigest> {
    const linear = options.linear ?? false;
    const info = await stat(path).catch((error: unknown) => {
      throw new FileError(path, describeSystemError(error), { cause: error });
    });
    if (info.isDirectory()) throw new FileError(path, "Is a directory");
    const pieces = linear || !info.isFile() ? 1 : Math.max(1, Math.ceil(info.size / PIECE));
    const replies = await Promise.all(
      Array.from({ length: pieces }, (_, k) =>
        this.#run({ path, start: k * PIECE, length: k === pieces - 1 ? -1 : PIECE, linear }),
      ),
    ).catch((error: unknown) => {
      throw new FileError(path, describeSystemError(error), { cause: error });
    });
    for (let k = 0; k < pieces - 1; k++) {
      if (defined(replies[k], "replies[k]").bytes !== PIECE)
        throw new FileChangedError(path, "file changed while it was read");
    }
    const chunkHashes: Buffer[] = [];
    let bytes = 0;
    for (const reply of replies) {
      bytes += reply.bytes;
      const all = Buffer.from(reply.chunkHashes);
      for (let i = 0; i < all.length; i += 32) chunkHashes.push(all.subarray(i, i + 32));
    }
    const digest: FileDigest = { path, bytes, treeHash: foldHashes(chunkHashes).toString("hex") };
    if (linear && replies[0]?.sha256) digest.sha256 = replies[0].sha256;
    return digest;
  }

  /**
   * One read of a file of `size` bytes giving its tree hash and, for each part of `partSize` (whole
   * MiB), the part's tree hash and SHA-256: what a multipart upload sends, computed on every core.
   */
  async hashParts(path: string, partSize: number, size: number): Promise<FileParts> {
    const piece = partSize * Math.max(1, Math.floor(PIECE / partSize));
    const pieces = Math.max(1, Math.ceil(size / piece));
    const replies = await Promise.all(
      Array.from({ length: pieces }, (_, k) =>
        this.#run({ path, start: k * piece, length: Math.min(piece, size - k * piece), linear: false, partSize }),
      ),
    ).catch((error: unknown) => {
      throw new FileError(path, describeSystemError(error), { cause: error });
    });
    const leaves: Buffer[] = [];
    const sha256s: string[] = [];
    replies.forEach((reply, k) => {
      if (reply.bytes !== Math.min(piece, size - k * piece))
        throw new FileChangedError(path, "file changed while it was read");
      const all = Buffer.from(reply.chunkHashes);
      for (let i = 0; i < all.length; i += 32) leaves.push(all.subarray(i, i + 32));
      sha256s.push(...(reply.partSha256s ?? []));
    });
    const perPart = partSize / MiB;
    const parts = sha256s.map((sha256, index) => ({
      treeHash: foldHashes(leaves.slice(index * perPart, (index + 1) * perPart)).toString("hex"),
      sha256,
    }));
    return { treeHash: foldHashes(leaves).toString("hex"), parts };
  }

  /** Starts every worker now, so their start-up overlaps the caller's own work. */
  warm(): this {
    while (this.#spawn()) {
      // Each #spawn() starts one worker, until the pool is full.
    }
    return this;
  }

  async close(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#slots.length = 0;
  }

  #run(partial: Omit<HashTask, "id">): Promise<HashReply & { ok: true }> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ task: { ...partial, id: this.#nextId++ }, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => !s.busy) ?? this.#spawn();
      if (!slot) return;
      const pending = defined(this.#queue.shift(), "this.#queue.shift()");
      slot.busy = true;
      this.#inFlight.set(pending.task.id, pending);
      slot.worker.postMessage(pending.task);
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.#size) return undefined;
    const worker = new Worker(this.#workerUrl);
    const slot: Slot = { worker, busy: false };
    worker.on("message", (reply: HashReply) => {
      slot.busy = false;
      const pending = this.#inFlight.get(reply.id);
      this.#inFlight.delete(reply.id);
      if (pending) {
        if (reply.ok) pending.resolve(reply);
        else pending.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      }
      this.#dispatch();
    });
    worker.on("error", (error) => {
      for (const [id, pending] of this.#inFlight) {
        this.#inFlight.delete(id);
        pending.reject(error);
      }
    });
    this.#slots.push(slot);
    return slot;
  }
}
