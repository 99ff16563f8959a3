// `glacier vault migrate --commit --shard I/N` through the built binary against the emulator: two
// machines (two caches) each migrate their shard of one vault (to STANDARD, so that the AWS CLI reads
// the objects back), waiting on Bulk jobs through the virtual clock (docs/emulator.md#time); then a
// third machine with a fresh cache runs the whole vault and adopts every object the shards wrote,
// without a retrieval job or a byte of archive data (docs/migrate.md#shards, #committing, #the-report).
import { ListJobsCommand } from "@aws-sdk/client-glacier";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { sdkClient, type CliWorld } from "../helpers/cli-env.ts";
import { aws, HOUR, keysIn, migrateWorld, objectBytes, operations, seedVault } from "../helpers/migrate-world.ts";

const TARGET = "s3://moved/pre";
const SIZES = [100, 200, 300, 400, 500, 600, 700, 800];

/** A machine: its own HOME (so its own cache and ledger) and working folder (its local report). */
async function machine(w: CliWorld, name: string) {
  const home = join(w.dir, "..", name);
  const cwd = join(home, "work");
  await mkdir(cwd, { recursive: true });
  const env = { HOME: home, XDG_CACHE_HOME: join(home, ".cache") };
  return {
    cwd,
    env,
    glacier: (...args: string[]) =>
      w.glacier(["vault", "migrate", "--max-age", "10000", "--storage-class", "STANDARD", ...args, "v", TARGET], {
        cwd,
        env,
      }),
  };
}

/** The plan's lines as [key, archive id]. */
const planned = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.split("\t"))
    .map(([key, , id]) => [key!, id!] as const);

const count = (w: CliWorld, name: string) => operations(w, name).length;

describe("glacier vault migrate --commit --shard", { timeout: 300_000 }, () => {
  it("splits a vault over two machines, and a third machine adopts what they copied", async () => {
    const w = await migrateWorld();
    const files = await seedVault(w, SIZES);
    const machines = [await machine(w, "m1"), await machine(w, "m2")];

    // The plans: the two shards' archives are disjoint and together the vault, at the same keys.
    const whole = await w.glacier(["vault", "migrate", "--max-age", "10000", "v", TARGET]);
    expect(whole.exitCode, whole.stderr).toBe(0);
    const all = planned(whole.stdout);
    expect(all.map(([key]) => key)).toEqual([...files.keys()].map((name) => `pre/${name}`));
    const shards: (readonly (readonly [string, string])[])[] = [];
    for (const [i, m] of machines.entries()) {
      const plan = await m.glacier("--shard", `${i + 1}/2`);
      expect(plan.exitCode, plan.stderr).toBe(0);
      shards.push(planned(plan.stdout));
    }
    expect(shards.every((s) => s.length > 0)).toBe(true);
    const ids = (list: readonly (readonly [string, string])[]) => list.map(([, id]) => id);
    expect(ids(shards[0]!).filter((id) => ids(shards[1]!).includes(id))).toEqual([]);
    expect([...shards[0]!, ...shards[1]!].sort()).toEqual([...all].sort());

    // Each machine requests jobs for its own shard only, and exits 75 while they run.
    for (const [i, m] of machines.entries()) {
      const before = operations(w, "InitiateJob").length;
      const first = await m.glacier("--commit", "--shard", `${i + 1}/2`);
      expect(first.exitCode, first.stderr).toBe(75);
      expect(first.stderr).toContain(`0 of ${shards[i]!.length} migrated`);
      expect(operations(w, "InitiateJob").length - before).toBe(shards[i]!.length);
    }
    const client = sdkClient(w);
    const jobs = (await client.send(new ListJobsCommand({ accountId: "-", vaultName: "v" }))).JobList ?? [];
    const retrievals = jobs.filter((j) => j.Action === "ArchiveRetrieval").map((j) => j.ArchiveId);
    expect(retrievals.sort()).toEqual(ids(all).sort());

    // Once the jobs are done, each machine copies its shard and uploads its report under its shard name.
    await w.emulator.control.advanceClock(4 * HOUR);
    const requested = count(w, "InitiateJob");
    for (const [i, m] of machines.entries()) {
      const done = await m.glacier("--commit", "--shard", `${i + 1}/2`);
      expect(done.exitCode, done.stderr).toBe(0);
      expect(done.stderr).toContain(`(this run: ${shards[i]!.length} copied, 0 found already there,`);
      const report = `pre/.glacier-migrate/v.shard-${i + 1}-of-2.jsonl`;
      const rows = (await objectBytes(w, report))
        .toString()
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as { archive_id: string; key: string; state: string });
      expect(rows.map((r) => [r.key, r.archive_id, r.state])).toEqual(shards[i]!.map((s) => [...s, "verified"]));
    }
    expect(count(w, "InitiateJob")).toBe(requested);

    // S3 holds every archive once, at its planned key, with its bytes and tree hash, and both reports.
    expect(await keysIn(w)).toEqual([
      "pre/.glacier-migrate/v.shard-1-of-2.csv",
      "pre/.glacier-migrate/v.shard-1-of-2.jsonl",
      "pre/.glacier-migrate/v.shard-2-of-2.csv",
      "pre/.glacier-migrate/v.shard-2-of-2.jsonl",
      ...all.map(([key]) => key),
    ]);
    for (const [name, bytes] of files) {
      expect((await objectBytes(w, `pre/${name}`)).equals(bytes)).toBe(true);
      const head = await aws(w, "s3api", "head-object", "--bucket", "moved", "--key", `pre/${name}`);
      expect((head.Metadata as Record<string, string>)["sha256-tree-hash"]).toBe(treeHash(bytes));
    }

    // Two days later (the shards' jobs and their output long gone), a third machine with a fresh cache
    // takes a new inventory and runs the whole vault: every object is adopted, in one run, exit 0,
    // without a retrieval job or a byte of archive data read or written.
    await w.emulator.control.advanceClock(48 * HOUR);
    await w.emulator.control.generateInventory("v");
    const third = await machine(w, "m3");
    const sync = await w.glacier(["vault", "sync", "--wait", "v"], { cwd: third.cwd, env: third.env });
    expect(sync.exitCode, sync.stderr).toBe(0);
    const start = w.emulator.control.requestLog().length;
    const adopt = await third.glacier("--commit");
    expect(adopt.exitCode, adopt.stderr).toBe(0);
    expect(adopt.stderr).toContain(
      `glacier: info: migrated vault 'v' to s3://moved/pre/: 8 archives, 3600 bytes (3.5 KiB) ` +
        "(this run: 0 copied, 8 found already there, 0 source archives deleted)\n",
    );
    const log = w.emulator.control.requestLog().slice(start);
    const ops = (name: string) => log.filter((r) => r.operation === name);
    expect(ops("InitiateJob")).toEqual([]);
    expect(ops("UploadPart")).toEqual([]);
    // GetJobOutput of the inventory only (the first --commit run reads it), none of a retrieval job.
    const retrievalJobs = jobs.filter((j) => j.Action === "ArchiveRetrieval").map((j) => j.JobId!);
    expect(ops("GetJobOutput").filter((r) => retrievalJobs.some((id) => r.path.includes(id)))).toEqual([]);
    // The only writes: the whole vault's report, as JSON lines and CSV.
    expect(ops("PutObject")).toHaveLength(2);
    expect((await keysIn(w)).filter((key) => key.endsWith("/v.jsonl") || key.endsWith("/v.csv"))).toEqual([
      "pre/.glacier-migrate/v.csv",
      "pre/.glacier-migrate/v.jsonl",
    ]);
  });
});
