// Time is injected everywhere (docs/architecture.md#tests): core and the emulator model never call
// Date.now() or setTimeout themselves, so tests can run a four-hour job lifecycle in microseconds.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after ms (virtual or real); rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A clock that only moves when told to; sleep() resolves once advance() passes its deadline. */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  set(epochMs: number): void {
    this.#now = Math.max(this.#now, epochMs);
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
      if (ms <= 0) this.set(this.#now);
    });
  }
}
