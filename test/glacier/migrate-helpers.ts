// A world for the migration copy tests: the emulator over HTTP on 127.0.0.1 port 0 serving a vault
// and a bucket, the routing port a command gets (vault names and s3:// addresses), the S3 adapter for
// checking objects from outside the engine, and archives with finished retrieval jobs.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { routingPort } from "../../src/backend/plugins.ts";
import type { S3Api } from "../../src/backend/s3/objects.ts";
import { createS3Api } from "../../src/backend/s3/sdk.ts";
import { treeHash } from "../../src/core/tree-hash.ts";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.ts";
import type { BackendPort } from "../../src/glacier/port.ts";
import { closeEmulator } from "../helpers/close-emulator.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { bytes } from "../emulator/helpers.ts";
import { SkippingClock, requestLog } from "./helpers.ts";

export const VAULT = "v";
export const BUCKET = "mig";
export const ADDRESS = `s3://${BUCKET}/pre`;

export interface MigrateWorld {
  emulator: RunningEmulator;
  port: BackendPort;
  s3: S3Api;
  clock: SkippingClock;
  /** Operations the emulator answered since the last clearLog(), with their faults. */
  calls(operation?: string): { operation: string; status: number; faults: string[] }[];
  clearLog(): void;
  /** Uploads `size` bytes to the vault and retrieves them: the source of a copy. */
  archive(size: number, seed?: number): Promise<Source>;
}

export interface Source {
  vault: string;
  jobId: string;
  archiveId: string;
  size: number;
  treeHash: string;
  data: Buffer;
}

export async function migrateWorld(storageClass = "GLACIER_IR"): Promise<MigrateWorld> {
  const dir = await tempDir("glacier-migrate-");
  const emulator = await startEmulator({ dataDir: join(dir, "emulator"), port: 0 });
  const clock = new SkippingClock();
  const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };
  const endpoint = { kind: "url" as const, url: emulator.url };
  const port = routingPort({
    settings: { region: "us-east-1", endpoint, s3Endpoint: endpoint, credentials },
    storageClass,
    env: {},
    clock,
    startLocal: () => Promise.reject(new Error("no local:DIR in these tests")),
  });
  const s3 = createS3Api({
    region: "us-east-1",
    endpointUrl: emulator.url,
    endpointLabel: emulator.url,
    credentials,
    stallTimeoutMs: 30_000,
  });
  onTestFinished(async () => {
    await port.close();
    await s3.close();
    await closeEmulator(emulator);
  });
  await port.createVault(VAULT);
  await port.createVault(ADDRESS);
  return {
    emulator,
    port,
    s3,
    clock,
    ...requestLog(emulator),
    archive: async (size, seed = 7) => {
      const data = bytes(size, seed);
      const hash = treeHash(data);
      const { archiveId } = await port.uploadArchive({
        vault: VAULT,
        description: `archive ${seed}`,
        body: data,
        treeHash: hash,
        sha256: createHash("sha256").update(data).digest("hex"),
      });
      const { jobId } = await port.initiateJob(VAULT, { type: "archive", archiveId });
      await emulator.control.advanceClock(1);
      return { vault: VAULT, jobId, archiveId, size, treeHash: hash, data };
    },
  };
}

/** The object at PREFIX/NAME as S3 serves it: bytes, metadata, storage class, checksum. */
export async function readObject(world: MigrateWorld, name: string) {
  const key = `pre/${name}`;
  const head = await world.s3.headObject(BUCKET, key);
  const got = await world.s3.getObject({ bucket: BUCKET, key });
  const chunks: Buffer[] = [];
  for await (const chunk of got.body) chunks.push(chunk as Buffer);
  return { head, data: Buffer.concat(chunks) };
}

export function sourceOf(source: Source) {
  const { vault, jobId, archiveId, size, treeHash } = source;
  return { vault, jobId, archiveId, size, treeHash };
}
