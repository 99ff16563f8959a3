// The CLI's composition root: everything a command may use (src/commands/deps.ts), built lazily so
// that a command pays only for what it touches (`glacier --help` and `treehash` never load the AWS
// SDK or the cache). The backend services are the same ones the git-annex remote gets
// (src/runtime/services.ts).
import type { Readable } from "node:stream";
import type { Deps, GlobalOptions } from "../commands/deps.ts";
import type { Clock } from "../core/clock.ts";
import { HashPool } from "../platform/hash-pool.ts";
import type { Output } from "../platform/output.ts";
import { openServices } from "./services.ts";

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
  const services = openServices({
    global: input.global,
    env: input.env,
    cwd: input.cwd,
    clock: input.clock,
    warn: (message) => {
      input.output.warn(message);
    },
  });
  return {
    ...input,
    hashPool() {
      pool ??= new HashPool();
      return pool;
    },
    glacier: () => services.glacier(),
    settings: () => services.settings(),
    cache: () => services.cache(),
    async close() {
      await services.close();
      await pool?.close();
    },
  };
}
