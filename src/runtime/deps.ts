// The composition root: everything a command may use, built lazily so that a command pays only for
// what it touches (`glacier --help` and `treehash` never load the AWS SDK or the cache).
import type { Readable } from "node:stream";
import type { Clock } from "../core/clock.ts";
import type { GlacierPort } from "../glacier/port.ts";
import { HashPool } from "./hash-pool.ts";
import type { Output } from "./output.ts";

export interface GlobalOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
  cacheDir?: string;
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
        .then(({ openGlacier }) => openGlacier({ global: input.global, env: input.env, cwd: input.cwd, clock: input.clock }))
        .then((port) => {
          closers.push(() => port.close());
          return port;
        });
      return glacierPort;
    },
    async close() {
      await Promise.all(closers.splice(0).map((close) => close()));
    },
  };
}
