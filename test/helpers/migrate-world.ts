// The world of the `vault migrate --commit` end-to-end tests: an emulator whose Bulk jobs take a
// while (its virtual clock moves them on, docs/emulator.md#time), a vault of small archives with its
// inventory taken, the emulator's request log by operation, and the target bucket read with the AWS CLI.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { cliWorld, type CliWorld } from "./cli-env.ts";
import { awsCli } from "./tools.ts";

export const HOUR = 3600;

/** An emulator world whose Bulk jobs take jobDelay seconds, with S3 at the same endpoint. */
export async function migrateWorld(jobDelay = 3 * HOUR): Promise<CliWorld> {
  const w = await cliWorld({ jobDelays: { Bulk: jobDelay } });
  w.env.AWS_ENDPOINT_URL_S3 = w.emulator.url;
  return w;
}

/** Vault `v` with archives of these sizes, named a.bin, b.bin, ..., its inventory taken, and bucket `moved`. */
export async function seedVault(w: CliWorld, sizes: readonly number[]): Promise<Map<string, Buffer>> {
  expect((await w.glacier(["vault", "create", "v"])).exitCode).toBe(0);
  expect((await w.glacier(["vault", "create", "s3://moved"])).exitCode).toBe(0);
  const files = new Map<string, Buffer>();
  for (const [i, size] of sizes.entries()) {
    const name = `${String.fromCharCode(97 + i)}.bin`;
    const bytes = randomBytes(size);
    files.set(name, bytes);
    await writeFile(join(w.dir, name), bytes);
    const upload = await w.glacier(["archive", "upload", "v", name]);
    expect(upload.exitCode, upload.stderr).toBe(0);
  }
  await w.emulator.control.generateInventory("v");
  const sync = await w.glacier(["vault", "sync", "--wait", "v"]);
  expect(sync.exitCode, sync.stderr).toBe(0);
  return files;
}

/** The emulator's requests of one operation so far. */
export const operations = (w: CliWorld, name: string) =>
  w.emulator.control.requestLog().filter((r) => r.operation === name);

/** The AWS CLI on the world's emulator, its JSON answer parsed ({} when it prints none). */
export async function aws(w: CliWorld, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await execa(await awsCli(), [...args, "--endpoint-url", w.emulator.url, "--output", "json"], {
    env: { ...w.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" },
    cwd: w.dir,
  });
  const text = result.stdout.trim();
  return text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The keys of bucket `moved`, in order. */
export const keysIn = async (w: CliWorld) =>
  (((await aws(w, "s3api", "list-objects-v2", "--bucket", "moved")).Contents ?? []) as { Key: string }[]).map(
    (o) => o.Key,
  );

/** The bytes of one object of bucket `moved`. */
export async function objectBytes(w: CliWorld, key: string): Promise<Buffer> {
  const file = join(w.dir, "fetched");
  await aws(w, "s3api", "get-object", "--bucket", "moved", "--key", key, file);
  return readFile(file);
}
