// The digests of large S3 request bodies on worker threads. The emulator's one JS thread receives
// every body; computing the MD5 of each part (S3's ETag, about 2.3 times the CPU of its SHA-256) and
// its checksums there as well made that thread the bottleneck of an upload while the other core
// waited. Here the thread only copies each MiB of a body into a batch and hands it over (transferred,
// not copied again); the body's digests run on the least loaded worker, so the parts of a
// concurrent upload are hashed on every core. A body is not read faster than its worker keeps up (a
// few batches in flight), so memory stays bounded.
import { Worker } from "node:worker_threads";
import { type BodyDigests, type BodyHashing, type DigestName, inlineDigests } from "./body-digests.ts";
import type { DigestReply, DigestTask } from "./digest-protocol.ts";

const BATCH = 1024 * 1024;
/** Batches of one body at its worker, not yet acknowledged. */
const IN_FLIGHT = 4;
/** Acknowledged batches kept to be filled again (more are left to the garbage collector). */
const SPARE = 16;
// Relative CPU per byte (whole numbers, so that loads add up and go back to 0 exactly), measured
// with node:crypto and this emulator's CRC code on the development machine (MD5 ~430 MiB/s, SHA-256
// ~1000, SHA-1 ~800, zlib's CRC-32 ~1700, the JS CRC-32C and CRC-64/NVME ~150-200): a worker's load
// is the sum over the bodies it is hashing.
const COST: Record<DigestName, number> = { MD5: 25, SHA256: 10, SHA1: 12, CRC32: 5, CRC32C: 60, CRC64NVME: 50 };

export interface DigestPoolOptions {
  /** The worker script (dist/s3-digest-worker.js). */
  workerUrl: URL;
  /** Worker threads, started when bodies first need them. */
  threads: number;
  /** Bodies declared shorter than this are hashed on the main thread (default: one batch, 1 MiB). */
  minBytes?: number;
}

interface Slot {
  worker: Worker;
  load: number;
}

interface Body {
  slot: Slot;
  cost: number;
  /** An acknowledgement came back (the batch is free again). */
  acked: () => void;
  resolve: (digests: Buffer[]) => void;
  reject: (error: unknown) => void;
  /** Dropped: no digests are wanted, the remaining acknowledgements are still counted. */
  dropped: boolean;
  unacked: number;
}

export class DigestPool implements BodyHashing {
  readonly #options: Required<DigestPoolOptions>;
  readonly #slots: Slot[] = [];
  readonly #spare: ArrayBuffer[] = [];
  readonly #bodies = new Map<number, Body>();
  #nextId = 1;
  #closed = false;

  constructor(options: DigestPoolOptions) {
    this.#options = { minBytes: BATCH, ...options, threads: Math.max(1, options.threads) };
  }

  open(names: readonly DigestName[], expectedBytes: number | undefined): BodyDigests {
    if (this.#closed || (expectedBytes !== undefined && expectedBytes < this.#options.minBytes))
      return inlineDigests(names);
    return this.#pooled(names);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #pooled(names: readonly DigestName[]): BodyDigests {
    const id = this.#nextId++;
    const slot = this.#leastLoaded();
    const cost = names.reduce((sum, name) => sum + COST[name], 0);
    slot.load += cost;
    let wake: (() => void) | undefined;
    let body!: Body;
    const digests = new Promise<Buffer[]>((resolve, reject) => {
      body = {
        slot,
        cost,
        resolve,
        reject,
        dropped: false,
        unacked: 0,
        acked: () => {
          wake?.();
          wake = undefined;
        },
      };
    });
    // Nobody awaits the digests of a body that failed; a worker that died rejects them.
    digests.catch(() => undefined);
    this.#bodies.set(id, body);
    this.#post(slot, { kind: "open", id, names: [...names] });
    let batch: Buffer | undefined;
    let filled = 0;
    const send = () => {
      if (!batch || filled === 0 || !this.#bodies.has(id)) return;
      const buffer = batch.buffer as ArrayBuffer;
      body.unacked++;
      this.#post(slot, { kind: "data", id, batch: buffer, length: filled }, [buffer]);
      batch = undefined;
      filled = 0;
    };
    return {
      update: (chunk) => {
        // The body's worker died (its digests were rejected): the rest of its bytes are not copied,
        // and a full batch that could not be sent no longer keeps this loop from ending.
        if (!this.#bodies.has(id)) return undefined;
        let offset = 0;
        while (offset < chunk.length) {
          batch ??= this.#batch();
          const take = Math.min(BATCH - filled, chunk.length - offset);
          batch.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === BATCH) send();
        }
        if (body.unacked < IN_FLIGHT || !this.#bodies.has(id)) return undefined;
        return new Promise<void>((resolve) => (wake = resolve));
      },
      result: () => {
        send();
        if (this.#bodies.has(id)) this.#post(slot, { kind: "end", id });
        return digests;
      },
      abandon: () => {
        if (batch) this.#reuse(batch.buffer as ArrayBuffer);
        batch = undefined;
        if (!this.#bodies.has(id) || body.dropped) return;
        body.dropped = true;
        slot.load -= cost;
        this.#post(slot, { kind: "drop", id });
        if (body.unacked === 0) this.#bodies.delete(id);
      },
    };
  }

  #batch(): Buffer {
    const spare = this.#spare.pop();
    return spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(BATCH);
  }

  #reuse(buffer: ArrayBuffer): void {
    if (this.#spare.length < SPARE) this.#spare.push(buffer);
  }

  #post(slot: Slot, task: DigestTask, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(task, transfer);
  }

  #leastLoaded(): Slot {
    const idle = this.#slots.find((s) => s.load === 0);
    if (idle) return idle;
    if (this.#slots.length < this.#options.threads) return this.#spawn();
    return this.#slots.reduce((best, s) => (s.load < best.load ? s : best));
  }

  #spawn(): Slot {
    const worker = new Worker(this.#options.workerUrl);
    // Idle workers do not keep the process alive (the CLI's in-process local:DIR emulator).
    worker.unref();
    const slot: Slot = { worker, load: 0 };
    worker.on("message", (reply: DigestReply) => {
      this.#receive(reply);
    });
    const fail = (error: unknown) => {
      const index = this.#slots.indexOf(slot);
      if (index >= 0) this.#slots.splice(index, 1);
      for (const [id, body] of this.#bodies) {
        if (body.slot !== slot) continue;
        this.#bodies.delete(id);
        body.reject(error);
        body.acked();
      }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      fail(new Error(`an S3 digest worker stopped (exit code ${code})`));
    });
    this.#slots.push(slot);
    return slot;
  }

  #receive(reply: DigestReply): void {
    const body = this.#bodies.get(reply.id);
    if (reply.kind === "ack") {
      this.#reuse(reply.batch);
      if (!body) return;
      body.unacked--;
      if (body.dropped && body.unacked === 0) this.#bodies.delete(reply.id);
      body.acked();
      return;
    }
    if (!body) return;
    this.#bodies.delete(reply.id);
    body.slot.load -= body.cost;
    body.resolve(reply.digests.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength)));
  }
}
