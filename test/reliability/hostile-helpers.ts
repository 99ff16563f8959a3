// Helpers of the hostile-input table: archives with raw descriptions put straight into the emulator
// (through our SDK adapter, as any other client would), job outputs replaced in the emulator's data
// folder (through its own store and lock), and a snapshot of every file under a folder.
import { createHash } from "node:crypto";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { treeHash } from "../../src/core/tree-hash.ts";
import { DataStore } from "../../src/emulator/store.ts";
import { createSdkPort } from "../../src/glacier/sdk.ts";
import type { World } from "./world.ts";

/** Uploads bytes under a raw description (no name encoding), as another client could. */
export async function putRaw(world: World, vault: string, description: string, body: Buffer): Promise<string> {
  const port = createSdkPort({
    region: "us-east-1",
    endpointUrl: world.emulator.url,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-for-tests" },
  });
  try {
    await port.createVault(vault);
    const { archiveId } = await port.uploadArchive({
      vault,
      description,
      body,
      treeHash: treeHash(body),
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    return archiveId;
  } finally {
    await port.close();
  }
}

export interface JobTamper {
  /** New output bytes (the old file is unlinked first: archive job outputs are hard links). */
  output?: Buffer;
  /** The size the job declares and GetJobOutput serves (default: the new output's length). */
  outputSize?: number;
  /** A tree hash for the x-amz-sha256-tree-hash header of the output. */
  rangeTreeHash?: string;
  /** Inventory format the job reports (DescribeJob) and serves (Content-Type). */
  format?: "JSON" | "CSV";
}

/** The emulator's jobs of one vault, newest last. */
export async function jobsOf(
  world: World,
  vault: string,
  action: "ArchiveRetrieval" | "InventoryRetrieval",
): Promise<string[]> {
  const state = await world.emulator.control.dumpState();
  return Object.values(state.jobs)
    .filter((j) => j.vault === vault && j.action === action)
    .sort((a, b) => a.creationDate - b.creationDate)
    .map((j) => j.id);
}

/** Replaces a job's output in the emulator's data folder, under the emulator's own lock. */
export async function tamperJob(world: World, jobId: string, tamper: JobTamper): Promise<void> {
  const store = new DataStore(world.emulatorDir);
  await store.transact(async (state) => {
    const job = state.jobs[jobId];
    if (!job) throw new Error(`no job ${jobId}`);
    if (tamper.output) {
      await rm(store.jobPath(jobId), { force: true });
      await writeFile(store.jobPath(jobId), tamper.output);
      job.outputSize = tamper.output.length;
    }
    if (tamper.outputSize !== undefined) job.outputSize = tamper.outputSize;
    if (tamper.rangeTreeHash !== undefined) job.rangeTreeHash = tamper.rangeTreeHash;
    if (tamper.format && job.inventory) job.inventory.Format = tamper.format;
  });
}

/** Every file and folder under root (relative paths), skipping the given subfolders. */
export async function snapshot(root: string, skip: readonly string[]): Promise<Set<string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const out = new Set<string>();
  for (const e of entries) {
    const rel = relative(root, join(e.parentPath, e.name));
    if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
    out.add(rel);
  }
  return out;
}

/** A JSON inventory of n archives, as Glacier writes it. */
export function bigJsonInventory(vaultArn: string, n: number): Buffer {
  const parts = [`{"VaultARN":"${vaultArn}","InventoryDate":"2026-01-01T00:00:00Z","ArchiveList":[`];
  for (let i = 0; i < n; i++) {
    parts.push(
      `${i ? "," : ""}{"ArchiveId":"${`id${i}`.padEnd(138, "x")}","ArchiveDescription":"file-${i}` +
        `","CreationDate":"2025-12-01T00:00:00Z","Size":${i + 1},"SHA256TreeHash":"${"a".repeat(64)}"}`,
    );
  }
  parts.push("]}");
  return Buffer.from(parts.join(""));
}

/** The same as CSV (docs/glacier-api.md#inventories: header line, then one quoted row per archive). */
export function bigCsvInventory(n: number): Buffer {
  const rows = ["ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash"];
  for (let i = 0; i < n; i++)
    rows.push(`${`id${i}`.padEnd(138, "x")},"file-${i}",2025-12-01T00:00:00Z,${i + 1},${"a".repeat(64)}`);
  return Buffer.from(`${rows.join("\n")}\n`);
}
