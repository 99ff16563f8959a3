// What a command may use (docs/architecture.md#how-a-command-flows). The composition root
// (src/runtime/deps.ts) builds it; a command never builds a client, a cache or a worker itself.
import type { Readable } from "node:stream";
import type { ArchiveCache } from "../cache/archive-cache.ts";
import type { Clock } from "../core/clock.ts";
import type { BackendPort } from "../backend/port.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import type { HashPool } from "../platform/hash-pool.ts";
import type { Output } from "../platform/output.ts";
import type { GlobalOptions } from "../services/backend-settings.ts";

export type { GlobalOptions } from "../services/backend-settings.ts";

export interface Deps {
  readonly output: Output;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly cwd: string;
  readonly global: GlobalOptions;
  /** Worker-thread hasher, started on first use. */
  hashPool(): HashPool;
  /**
   * The backends (vaults, s3:// buckets) behind one port that routes each VAULT address to its plugin;
   * local:DIR starts the emulator. Opened on first use.
   */
  glacier(): Promise<BackendPort>;
  /** Region, endpoint and credentials resolved from flags, environment and the shared config. */
  settings(): Promise<BackendSettings>;
  /** The archive cache of this region and endpoint, opened on first use. */
  cache(): Promise<ArchiveCache>;
  /** Releases whatever was started (workers, servers, files). */
  close(): Promise<void>;
}
