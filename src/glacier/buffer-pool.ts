// A fixed number of equal-sized Buffers handed out in turn: the upload engine's memory bound
// ("Peak memory <= concurrency x part size + 100 MB"). Reading waits while every buffer is in flight.
export class BufferPool {
  readonly #free: Buffer[] = [];
  readonly #waiters: ((buffer: Buffer) => void)[] = [];
  #allocated = 0;

  constructor(
    readonly count: number,
    readonly size: number,
  ) {}

  acquire(): Promise<Buffer> {
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    if (this.#allocated < this.count) {
      this.#allocated++;
      return Promise.resolve(Buffer.allocUnsafeSlow(this.size));
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(buffer: Buffer): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(buffer);
    else this.#free.push(buffer);
  }

  /**
   * Lends a buffer of at least `size` bytes to `work` and takes it back when work settles; a size
   * larger than the pool's gets a buffer of its own.
   */
  async lend<T>(size: number, work: (buffer: Buffer) => Promise<T>): Promise<T> {
    if (size > this.size) return work(Buffer.allocUnsafe(size));
    const buffer = await this.acquire();
    try {
      return await work(buffer);
    } finally {
      this.release(buffer);
    }
  }

  /** Drops the free buffers so their memory can be collected. */
  drain(): void {
    this.#free.length = 0;
  }
}
