// The composition root: everything a command may use, built lazily so that a command pays only for
// what it touches (`glacier --help` and `treehash` never load the AWS SDK or the cache).
import type { Readable } from "node:stream";
import type { Clock } from "../core/clock.ts";
import type { ArchiveCache } from "../cache/archive-cache.ts";
import type { GlacierPort } from "../glacier/port.ts";
import type { BackendSettings } from "../glacier/settings.ts";
import { HashPool } from "./hash-pool.ts";
import type { Output } from "./output.ts";

export interface GlobalOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
  cacheDir?: string;
  /** --stall-timeout, seconds (validated by the parser). */
  stallTimeout?: number;
  debug: boolean;
}

export interface Deps {
  readonly output: Output;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly cwd: string;
  readonly global: GlobalOptions;
  /** Worker-thread hasher, started on first use. */
  hashPool(): HashPool;
  /** The Glacier backend (SDK adapter in the retry layer; local:DIR starts the emulator), on first use. */
  glacier(): Promise<GlacierPort>;
  /** Region, endpoint and credentials resolved from flags, environment and the shared config. */
  settings(): Promise<BackendSettings>;
  /** The archive cache of this region and endpoint, opened on first use. */
  cache(): Promise<ArchiveCache>;
  /** Releases whatever was started (workers, servers, files). */
  close(): Promise<void>;
}

export interface DepsInput {
  output: Output;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable;
  cwd: string;
  global: GlobalOptions;
}

export function createDeps(input: DepsInput): Deps {
  let pool: HashPool | undefined;
  let glacierPort: Promise<GlacierPort> | undefined;
  let settings: Promise<BackendSettings> | undefined;
  let cache: Promise<ArchiveCache> | undefined;
  const closers: (() => Promise<void>)[] = [];
  return {
    ...input,
    hashPool() {
      if (!pool) {
        const created = new HashPool();
        closers.push(() => created.close());
        pool = created;
      }
      return pool;
    },
    glacier() {
      // Imported lazily: the AWS SDK costs start-up time that --help and local commands never pay.
      glacierPort ??= import("../glacier/open.ts")
        .then(({ openGlacier }) =>
          openGlacier({ global: input.global, env: input.env, cwd: input.cwd, clock: input.clock }),
        )
        .then((port) => {
          closers.push(() => port.close());
          return port;
        });
      return glacierPort;
    },
    settings() {
      settings ??= import("./backend-settings.ts").then(({ loadBackendSettings }) =>
        loadBackendSettings(input.global, input.env, input.cwd),
      );
      return settings;
    },
    cache() {
      cache ??= Promise.all([import("../cache/index.ts"), import("./backend-settings.ts"), this.settings()]).then(
        async ([{ openCache, cacheDirFromEnv }, { cacheNamespace }, resolved]) => {
          const opened = await openCache({
            dir: cacheDirFromEnv(input.env, input.global.cacheDir, input.cwd),
            namespace: cacheNamespace(resolved),
            clock: input.clock,
            warn: (message) => input.output.warn(message),
          });
          closers.push(() => opened.close());
          return opened;
        },
      );
      return cache;
    },
    async close() {
      // A resource still opening when the command failed (Promise.all rejects on the first failure,
      // e.g. an unwritable cache beside a local:DIR emulator) registers its closer only when it
      // resolves: wait for it, or its server or sockets keep the process alive for ever.
      await Promise.allSettled([glacierPort, cache]);
      await Promise.all(closers.splice(0).map((close) => close()));
    },
  };
}
