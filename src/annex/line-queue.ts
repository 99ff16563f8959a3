// Pull-style lines over pushed chunks: the reading side of a Transport, without any stream. io.ts
// pushes stdin's chunks in; tests push bytes directly.
import { LineBuffer } from "./wire.ts";

export class LineQueue {
  readonly #buffer = new LineBuffer();
  #ended = false;
  #waiting: ((line: Uint8Array | undefined) => void) | undefined;

  push(chunk: Uint8Array): void {
    this.#buffer.append(chunk);
    this.#wake();
  }

  /** No more input. Returns the bytes of an unterminated last line, which are never delivered. */
  end(): Uint8Array {
    this.#ended = true;
    this.#wake();
    return this.#buffer.partial;
  }

  /**
   * The next complete line, or undefined once input has ended. A last line without its 0x0A was cut
   * short (git-annex always terminates lines), so it is dropped rather than acted on: a truncated
   * TRANSFER could name the wrong File.
   */
  readLine(): Promise<Uint8Array | undefined> {
    if (this.#waiting) throw new Error("LineQueue.readLine called while a read is pending");
    const line = this.#buffer.tryReadLine();
    if (line !== undefined || this.#ended) return Promise.resolve(line);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  #wake(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const line = this.#buffer.tryReadLine();
    if (line === undefined && !this.#ended) return;
    this.#waiting = undefined;
    waiting(line);
  }
}
