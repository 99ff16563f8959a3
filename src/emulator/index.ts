// The emulator's public API: startEmulator() runs the Glacier vault service on a data DIR and
// returns its URL, a close function and the control API. Used by tests, by the glacier-emulator
// program and by the CLI's local:DIR endpoint (in-process, one command long: start-up only creates
// a few folders; the state files are read on the first request).
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Clock } from "../core/clock.ts";
import type { Tier } from "../core/types.ts";
import { systemClock } from "../platform/system-clock.ts";
import { type EmulatorControl, controlHandler, createControl } from "./control.ts";
import { createEnv } from "./env.ts";
import { FaultInjector, type FaultSpec } from "./faults.ts";
import { RequestLog } from "./request-log.ts";
import { createRouter } from "./router.ts";
import { type BodyHashing, INLINE_HASHING } from "./s3/body-digests.ts";
import { DigestPool } from "./s3/digest-pool.ts";
import { REALISTIC_RESTORE_DELAYS, type RestoreDelays } from "./s3/restore.ts";
import { createS3Router, isS3Request } from "./s3/router.ts";
import { createHttpServer } from "./server.ts";
import type { AuthMode } from "./sigv4.ts";
import type { ModelConfig } from "./state.ts";
import { DataStore } from "./store.ts";

export type { EmulatorControl } from "./control.ts";
export type { FaultSpec } from "./faults.ts";
export { parseFaults } from "./faults.ts";
export type { RequestLogEntry } from "./request-log.ts";

/** docs/emulator.md#fidelity: 'preset "realistic" = 3 min / 4 h / 8 h'. */
export const REALISTIC_JOB_DELAYS: Record<Tier, number> = { Expedited: 180, Standard: 4 * 3600, Bulk: 8 * 3600 };

export interface EmulatorOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The region of requests whose signing scope names no AWS region, and of all with auth "off" (regions.ts). */
  region?: string;
  /** The account the "-" account ID stands for (12 digits). */
  accountId?: string;
  /** Time source; the emulator adds the clock offset persisted in DIR. Default: system time. */
  clock?: Clock;
  auth?: AuthMode;
  /** strict mode: the one key pair accepted. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Seconds from initiation to completion per tier; default 0 for every tier. */
  jobDelays?: Partial<Record<Tier, number>>;
  /** Seconds after a vault change before its next inventory (default 86400), or "live". */
  inventoryLag?: number | "live";
  /** Minimum seconds between two inventories of one vault (default 86400). */
  inventoryInterval?: number;
  /** Seconds a completed job's output stays downloadable (default 86400). */
  jobExpirySeconds?: number;
  /**
   * Refuse Expedited retrievals with InsufficientCapacityException unless a provisioned capacity
   * unit is active (default false: on-demand Expedited capacity is always there).
   */
  expeditedRequiresCapacity?: boolean;
  /** Seconds after which an idle multipart upload is reclaimed (default 86400). */
  uploadIdleSeconds?: number;
  faults?: FaultSpec[] | string;
  seed?: number;
  /** Job fields with no value: emit them as null (default, what boto 2 needs) or omit them. */
  nulls?: "emit" | "omit";
  /** Answer every call with NoLongerSupportedException, as AWS does for new accounts. */
  newAccount?: boolean;
  /** Page size caps of the List operations (docs/glacier-api.md#pagination: vaults 10, others 50). */
  pageMax?: Partial<ModelConfig["pageMax"]>;
  /** S3 RestoreObject: seconds to completion per class and tier (default: S3's published upper bounds). */
  restoreDelays?: RestoreDelays;
  /**
   * Worker threads computing the digests of S3 bodies of 1 MiB or more (MD5, checksums); 0 computes
   * them on the main thread. Default: one per core, at most 4; 0 when the worker script is missing.
   */
  hashThreads?: number;
  /** The worker script; default dist/s3-digest-worker.js beside the built emulator. */
  hashWorkerUrl?: URL;
  /** Bodies declared shorter than this are hashed on the main thread (default 1 MiB). */
  hashMinBytes?: number;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  control: EmulatorControl;
}

export function modelConfig(options: EmulatorOptions): ModelConfig {
  const accountId = options.accountId ?? "123456789012";
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits: ${accountId}`);
  return {
    region: options.region ?? "us-east-1",
    accountId,
    jobDelays: { Expedited: 0, Standard: 0, Bulk: 0, ...options.jobDelays },
    inventoryLag: options.inventoryLag ?? 86_400,
    inventoryInterval: options.inventoryInterval ?? 86_400,
    jobExpirySeconds: options.jobExpirySeconds ?? 86_400,
    expeditedRequiresCapacity: options.expeditedRequiresCapacity ?? false,
    uploadIdleSeconds: options.uploadIdleSeconds ?? 86_400,
    pageMax: { vaults: 10, jobs: 50, parts: 50, uploads: 50, ...options.pageMax },
  };
}

/**
 * The control API over DIR with no server: the glacier-emulator program's action options. Safe
 * beside a server on the same DIR: every change goes through the state lock and the change log.
 */
export async function openEmulatorControl(options: EmulatorOptions): Promise<EmulatorControl> {
  const config = modelConfig(options);
  const store = await DataStore.open(options.dataDir, config.region);
  const env = createEnv(store, config, options.clock ?? systemClock, options.nulls === "omit");
  return createControl(env, new FaultInjector(options.faults ?? [], options.seed ?? 1), new RequestLog());
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const config = modelConfig(options);
  const store = await DataStore.open(options.dataDir, config.region);
  const env = createEnv(store, config, options.clock ?? systemClock, options.nulls === "omit");
  const faults = new FaultInjector(options.faults ?? [], options.seed ?? 1);
  const log = new RequestLog();
  const control = createControl(env, faults, log);
  const auth = options.auth ?? "any-key";
  if (auth === "strict" && !options.credentials)
    throw new Error("auth strict needs credentials (an access key ID and secret)");
  const authConfig = {
    mode: auth,
    region: config.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const hashing = bodyHashing(options);
  const s3 = createS3Router({
    env,
    auth: authConfig,
    faults,
    restoreDelays: options.restoreDelays ?? REALISTIC_RESTORE_DELAYS,
    hashing,
  });
  const router = createRouter({
    env,
    faults,
    newAccount: options.newAccount ?? false,
    control: controlHandler(env, control),
    auth: authConfig,
    s3: { matches: isS3Request, handle: s3 },
  });
  const server = createHttpServer(router, log, () => env.now());
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    control,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
      await hashing.close();
    },
  };
}

// The worker script is a file of its own in the build (tsup.config.ts); run from the sources (the
// tests), the emulator finds none beside it and hashes on its main thread unless given one.
const BUILT_WORKER = new URL("./s3-digest-worker.js", import.meta.url);

function bodyHashing(options: EmulatorOptions): BodyHashing {
  const workerUrl = options.hashWorkerUrl ?? BUILT_WORKER;
  const threads = options.hashThreads ?? Math.min(4, availableParallelism());
  if (threads === 0 || !existsSync(fileURLToPath(workerUrl))) return INLINE_HASHING;
  return new DigestPool({
    workerUrl,
    threads,
    ...(options.hashMinBytes !== undefined ? { minBytes: options.hashMinBytes } : {}),
  });
}
