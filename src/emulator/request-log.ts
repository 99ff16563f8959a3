// The request log the control API exposes (issue 3 item 6: "read the request log (operation,
// status, bytes)"). Bounded, so a long-running emulator does not grow without limit.

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
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  #entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  /** Every entry, or those of requests for one region. */
  entries(region?: string): RequestLogEntry[] {
    return region === undefined ? this.#entries.slice() : this.#entries.filter((e) => e.region === region);
  }

  clear(): void {
    this.#entries = [];
  }
}
