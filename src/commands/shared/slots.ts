import { defined } from "../../core/errors.ts";
// A weighted semaphore: `archive multi-upload` shares `--concurrency` request slots between files.
// A file sent in one request takes one slot; a multipart file takes them all, so at most
// `concurrency` part buffers exist at once whatever the mix (memory <= concurrency x part size).
export class Slots {
  #free: number;
  readonly #waiting: { weight: number; resolve: () => void }[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  async use<T>(weight: number, work: () => Promise<T>): Promise<T> {
    const want = Math.min(weight, this.size);
    await this.#acquire(want);
    try {
      return await work();
    } finally {
      this.#free += want;
      this.#wake();
    }
  }

  #acquire(weight: number): Promise<void> {
    if (this.#waiting.length === 0 && this.#free >= weight) {
      this.#free -= weight;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push({ weight, resolve }));
  }

  // First come, first served: a large file waiting for every slot is not starved by small ones.
  #wake(): void {
    while (this.#waiting.length > 0 && this.#free >= defined(this.#waiting[0], "this.#waiting[0]").weight) {
      const next = defined(this.#waiting.shift(), "this.#waiting.shift()");
      this.#free -= next.weight;
      next.resolve();
    }
  }
}
