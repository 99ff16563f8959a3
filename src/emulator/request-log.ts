// The request log the control API exposes (docs/emulator.md#faults and src/emulator/README.md "Control API":
// operation, status, bytes). Bounded, so a long-running emulator does not grow without limit.

export interface RequestLogEntry {
  /**
   * Emulator time (ISO) when the response was produced. An entry is added before the answer (or the
   * reset) is sent, so a client that has seen the outcome of its request finds it here.
   */
  time: string;
  method: string;
  path: string;
  /** The Glacier operation name, "_emulator" for control calls, or "Unknown". */
  operation: string;
  status: number;
  /** Bytes read on the connection for this request when its answer was ready (headers included). */
  bytesIn: number;
  /** Body bytes of the answer (half of them when a fault cuts the body, 0 for a reset). */
  bytesOut: number;
  /** The region the request was for (Glacier operations; absent for control calls). */
  region?: string;
  /** Fault kinds applied to this request. */
  faults: string[];
  /** x-amz-archive-description of an upload or initiate, when sent (which archive a request was for). */
  description?: string;
  /** Content-Range of a part upload, or Range of a download, when sent (which bytes). */
  range?: string;
  /** `?partNumber=` of an S3 GetObject or HeadObject, when sent (which part). */
  part?: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  #entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    // Trimmed once it holds twice the limit: dropping the oldest entry on every request moved all
    // 10,000 on every request (3 s of the emulator's 110 CPU-seconds in the full testremote).
    if (this.#entries.length >= 2 * MAX_ENTRIES) this.#entries = this.#entries.slice(-MAX_ENTRIES);
  }

  /** The last 10,000 entries, or those of requests for one region. */
  entries(region?: string): RequestLogEntry[] {
    const last = this.#entries.slice(-MAX_ENTRIES);
    return region === undefined ? last : last.filter((e) => e.region === region);
  }

  clear(): void {
    this.#entries = [];
  }
}
