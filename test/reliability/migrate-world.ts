// A vault to migrate and the checks of its S3 copy (docs/migrate.md), shared by the migrate crash and
// fault harnesses: small archives and multipart ones, one name uploaded twice (an older version with
// a suffix key), the plan's key of each archive, and the bucket compared with the vault through
// ListObjectsV2, ListMultipartUploads, HeadObject and the emulator's object bytes.
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type _Object,
} from "@aws-sdk/client-s3";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorOptions } from "../../src/emulator/index.ts";
import { treeHash } from "../../src/core/tree-hash.ts";
import type { BinResult } from "../helpers/run-bin.ts";
import { seeded, seededBytes } from "./rng.ts";
import { writeTree, type TreeSpec } from "./tree.ts";
import { makeWorld, type RunOptions, type World } from "./world.ts";

export const BUCKET = "migrated";
export const PREFIX = "moved";
export const TARGET = `s3://${BUCKET}/${PREFIX}`;

interface PlannedArchive {
  id: string;
  key: string;
  size: number;
  treeHash: string;
}

export interface MigrateWorld {
  world: World;
  /** By archive id: the key the plan gives it and what the vault holds. */
  planned: Map<string, PlannedArchive>;
  bytes: number;
}

/**
 * A world whose vault `v` holds the tree of `spec` (uploaded with 1 MiB parts) plus a second,
 * newer archive under the name of the first large file, with a recent inventory, an empty bucket,
 * and the plan's key of every archive.
 */
export async function migrateWorld(spec: TreeSpec, options: Partial<EmulatorOptions> = {}): Promise<MigrateWorld> {
  const world = await makeWorld(options, "glacier-rel-migrate-");
  try {
    world.env["AWS_ENDPOINT_URL_S3"] = world.emulator.url;
    const src = join(world.dir, "tree");
    const files = await writeTree(src, spec);
    must(await world.glacier(["vault", "create", "v"]), "vault create");
    must(await world.glacier(["archive", "multi-upload", "--part-size", "1048576", "v", src]), "multi-upload");
    const again = join(world.dir, "newer.img");
    await writeFile(again, seededBytes(seeded(spec.seed + 1), 3 * 1024 * 1024 + 333));
    // The emulator's clock moves so that the two archives of one name have distinct creation dates.
    await world.emulator.control.advanceClock(60);
    const dupName = [...files.keys()].find((n) => n.startsWith("big/")) ?? "dup";
    must(await world.glacier(["archive", "upload", "--name", dupName, "v", again]), "archive upload");
    must(await world.glacier(["vault", "create", `s3://${BUCKET}`]), "bucket create");
    await world.emulator.control.generateInventory("v");
    const plan = must(await world.glacier(["vault", "migrate", "--wait", "v", TARGET]), "vault migrate (plan)");
    const archives = (await world.emulator.control.dumpState()).vaults["v"]?.archives ?? {};
    const planned = new Map<string, PlannedArchive>();
    for (const line of plan.stdout.split("\n").filter((l) => l !== "")) {
      const [key, , id] = line.split("\t");
      const archive = archives[id ?? ""];
      if (key === undefined || archive === undefined) throw new Error(`plan line names no archive: ${line}`);
      planned.set(archive.id, { id: archive.id, key, size: archive.size, treeHash: archive.treeHash });
    }
    if (planned.size !== Object.keys(archives).length)
      throw new Error(`the plan has ${planned.size} archives, the vault ${Object.keys(archives).length}`);
    return { world, planned, bytes: [...planned.values()].reduce((n, a) => n + a.size, 0) };
  } catch (error) {
    await world.close();
    throw error;
  }
}

function must(result: BinResult, what: string): BinResult {
  if (result.exitCode !== 0) throw new Error(`${what}: exit ${result.exitCode}: ${result.stderr.trim()}`);
  return result;
}

export const commitArgs = (extra: readonly string[] = []): string[] => [
  "vault",
  "migrate",
  "--commit",
  ...extra,
  "v",
  TARGET,
];

/** Runs `vault migrate --commit` until it exits 0 (75 and, when allowed, 1 mean: run it again). */
export async function migrateUntilDone(
  world: World,
  options: { extra?: readonly string[]; allowFailures?: boolean; maxRuns?: number } & RunOptions = {},
): Promise<{ runs: BinResult[]; done: boolean }> {
  const runs: BinResult[] = [];
  const again = new Set(options.allowFailures ? [1, 75] : [75]);
  for (let i = 0; i < (options.maxRuns ?? 40); i++) {
    const result = await world.glacier(commitArgs(options.extra), { timeoutMs: options.timeoutMs ?? 300_000 });
    runs.push(result);
    if (result.exitCode === 0) return { runs, done: true };
    if (!again.has(result.exitCode)) break;
  }
  return { runs, done: false };
}

function s3Client(world: World): S3Client {
  return new S3Client({
    region: "us-east-1",
    endpoint: world.emulator.url,
    forcePathStyle: true,
    credentials: {
      accessKeyId: world.env["AWS_ACCESS_KEY_ID"] ?? "",
      secretAccessKey: world.env["AWS_SECRET_ACCESS_KEY"] ?? "",
    },
    maxAttempts: 1,
  });
}

async function listAll(s3: S3Client): Promise<_Object[]> {
  const out: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    out.push(...(page.Contents ?? []));
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return out;
}

/** The migration's report, uploaded next to the objects under PREFIX/.glacier-migrate/ (docs/migrate.md). */
const isReportKey = (key: string): boolean => key.startsWith(`${PREFIX}/.glacier-migrate/`);

/**
 * Every planned archive in the bucket exactly once at its key (no other key, no open multipart
 * upload), its size, its bytes' tree hash and the tree hash in its metadata equal to the archive's.
 * With `complete: false` (a migration under way) only the objects already at a planned key are
 * judged: whole and right, or absent. Returns the problems found and the bytes verified.
 */
export async function bucketProblems(
  mw: MigrateWorld,
  { complete }: { complete: boolean },
): Promise<{ problems: string[]; verified: number }> {
  const { world, planned } = mw;
  const s3 = s3Client(world);
  try {
    const problems: string[] = [];
    const listed = await listAll(s3);
    const byKey = new Map(listed.map((o) => [o.Key ?? "", o]));
    const wanted = new Map([...planned.values()].map((a) => [a.key, a]));
    if (complete) {
      for (const key of byKey.keys())
        if (!wanted.has(key) && !isReportKey(key)) problems.push(`${key}: in the bucket but planned for no archive`);
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
      for (const u of uploads.Uploads ?? [])
        problems.push(`${u.Key ?? "?"}: multipart upload ${u.UploadId} in progress`);
    }
    const objects = (await world.emulator.control.dumpState()).s3?.buckets[BUCKET]?.objects ?? {};
    let verified = 0;
    for (const a of wanted.values()) {
      const found = byKey.get(a.key);
      if (found === undefined) {
        if (complete) problems.push(`${a.key}: missing (archive ${a.id})`);
        continue;
      }
      if (found.Size !== a.size) problems.push(`${a.key}: ${found.Size} bytes, the archive has ${a.size}`);
      const stored = objects[a.key];
      const bytes = stored === undefined ? undefined : await storedBytes(world.emulatorDir, stored);
      if (bytes === undefined || treeHash(bytes) !== a.treeHash) {
        problems.push(`${a.key}: the object's bytes do not have the archive's tree hash`);
        continue;
      }
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: a.key }));
      const meta = Object.values(head.Metadata ?? {});
      if (!meta.includes(a.treeHash)) problems.push(`${a.key}: the archive's tree hash is not in its metadata`);
      if (!meta.includes(a.id)) problems.push(`${a.key}: the archive id is not in its metadata`);
      verified += bytes.length;
    }
    return { problems, verified };
  } finally {
    s3.destroy();
  }
}

/** The cache still works after the kills: the vault lists every archive and the plan is printed again. */
export async function cacheProblems(mw: MigrateWorld): Promise<string[]> {
  const problems: string[] = [];
  const list = await mw.world.glacier(["archive", "list", "--force-ids", "v"]);
  if (list.exitCode !== 0) problems.push(`archive list exit ${list.exitCode}: ${list.stderr.trim()}`);
  for (const id of mw.planned.keys())
    if (!list.stdout.includes(`id:${id}`)) problems.push(`archive list lacks archive ${id}`);
  const plan = await mw.world.glacier(["vault", "migrate", "v", TARGET]);
  if (plan.exitCode !== 0) problems.push(`the plan after the migration: exit ${plan.exitCode}: ${plan.stderr.trim()}`);
  return problems;
}

/** Requests that retrieve an archive or write an object. */
const COPY_REQUESTS = new Set([
  "InitiateJob",
  "PutObject",
  "UploadPart",
  "CreateMultipartUpload",
  "CompleteMultipartUpload",
]);

/**
 * Finished means finished: one more run exits 0 and neither retrieves nor writes any object again
 * (the report, rewritten under PREFIX/.glacier-migrate/, aside).
 */
export async function rerunProblems(mw: MigrateWorld, extra: readonly string[]): Promise<string[]> {
  const { control } = mw.world.emulator;
  const before = control.requestLog().length;
  const again = await mw.world.glacier(commitArgs(extra));
  const sent = control
    .requestLog()
    .slice(before)
    .filter((r) => COPY_REQUESTS.has(r.operation) && !r.path.includes("/.glacier-migrate/"));
  return [
    ...(again.exitCode !== 0 ? [`a run after the end: exit ${again.exitCode}: ${again.stderr.trim()}`] : []),
    ...(sent.length > 0 ? [`a run after the end sent ${sent.map((r) => `${r.operation} ${r.path}`).join(", ")}`] : []),
  ];
}

/**
 * An object's bytes as the emulator stores them: one file, or for a completed multipart upload a folder
 * of its parts' files in order (docs/emulator.md), read here rather than by GetObject, which an
 * archived storage class refuses.
 */
async function storedBytes(emulatorDir: string, object: { file: string; segmented?: true }): Promise<Buffer> {
  const path = join(emulatorDir, "s3", "objects", object.file);
  if (object.segmented !== true) return readFile(path);
  const names = (await readdir(path)).sort();
  return Buffer.concat(await Promise.all(names.map((name) => readFile(join(path, name)))));
}
