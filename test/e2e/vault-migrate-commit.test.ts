// `glacier vault migrate --commit` through the built binary against the emulator (vaults and S3 over
// real HTTP): retrieval jobs requested at the pace (--max-jobs, --max-bytes-per-day, counted in the
// emulator's request log), exit 75 while they run, a job whose output expired requested again, a job
// a killed run left unrecorded taken over, one run all the way on local:DIR, the copies read back with
// the AWS CLI, --delete-source, the report locally and in the bucket, and the
// flags that need --commit refused without it. Job delays and the
// virtual clock drive time (docs/emulator.md#time).
import { InitiateJobCommand } from "@aws-sdk/client-glacier";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { sdkClient, type CliWorld } from "../helpers/cli-env.ts";
import { aws, HOUR, keysIn, migrateWorld, objectBytes, operations, seedVault } from "../helpers/migrate-world.ts";
import { runGlacier, userEnv } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const TARGET = "s3://moved/pre";

/** InitiateJob requests so far (the inventory's included: tests count the difference). */
const initiated = (w: CliWorld) => operations(w, "InitiateJob");

const migrate = (w: CliWorld, ...flags: string[]) =>
  w.glacier(["vault", "migrate", "--commit", "--max-age", "10000", ...flags, "v", TARGET]);

const PENDING = new RegExp(
  String.raw`^glacier: \d+ archives? waiting for retrieval jobs \(Bulk\), expected ready by \S+(; .*)?; ` +
    String.raw`\d+ of \d+ migrated; run the same command again then\n$`,
);

describe("glacier vault migrate --commit (requests, pacing, expiry, resume)", () => {
  it("requests jobs up to --max-jobs, exits 75 while they run, and asks for no job twice", async () => {
    const w = await migrateWorld();
    await seedVault(w, [100, 200, 300, 400, 500]);
    const before = initiated(w).length;
    const first = await migrate(w, "--max-jobs", "2");
    expect(first.stdout).toBe("");
    expect(first.exitCode, first.stderr).toBe(75);
    expect(first.stderr).toMatch(PENDING);
    expect(first.stderr).toContain("2 archives waiting for retrieval jobs (Bulk)");
    expect(first.stderr).toContain("; 3 archives to request as jobs finish (--max-jobs); 0 of 5 migrated;");
    expect(initiated(w).length - before).toBe(2);

    // Jobs still running: a rerun (from cron) requests nothing more.
    const again = await migrate(w, "--max-jobs", "2");
    expect(again.exitCode).toBe(75);
    expect(initiated(w).length - before).toBe(2);

    // The report is written on every run, one row per archive, in its ledger state.
    const jsonl = await readFile(join(w.dir, "glacier-migrate-v.jsonl"), "utf8");
    const rows = jsonl
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.key, r.state])).toEqual([
      ["pre/a.bin", "requested"],
      ["pre/b.bin", "requested"],
      ["pre/c.bin", "planned"],
      ["pre/d.bin", "planned"],
      ["pre/e.bin", "planned"],
    ]);
    expect(rows[0]).toMatchObject({ description: "a.bin", size: 100, s3_checksum: null, verified: null });
    const csv = await readFile(join(w.dir, "glacier-migrate-v.csv"), "utf8");
    expect(csv.split("\r\n")[0]).toBe(
      "archive_id,description,key,size,tree_hash,s3_checksum,created,requested,verified,deleted,state",
    );
    expect(csv.split("\r\n")).toHaveLength(7);
  });

  it("keeps to --max-bytes-per-day over the last 24 hours and says when more can be requested", async () => {
    const w = await migrateWorld();
    await seedVault(w, [400, 400, 400]);
    const before = initiated(w).length;
    const first = await migrate(w, "--max-bytes-per-day", "1000");
    expect(first.exitCode, first.stderr).toBe(75);
    expect(initiated(w).length - before).toBe(2);
    const now = await w.emulator.control.now();
    const from = /1 archive to request from (\S+) \(--max-bytes-per-day\)/.exec(first.stderr);
    expect(from, first.stderr).not.toBeNull();
    expect(Date.parse(from![1]!) - now).toBeGreaterThan(23 * HOUR * 1000);

    await w.emulator.control.advanceClock(HOUR);
    expect((await migrate(w, "--max-bytes-per-day", "1000")).exitCode).toBe(75);
    expect(initiated(w).length - before).toBe(2);
  });

  it("requests again a job whose output expired before it was copied", async () => {
    const w = await migrateWorld();
    await seedVault(w, [100, 200]);
    const before = initiated(w).length;
    expect((await migrate(w)).exitCode).toBe(75);
    expect(initiated(w).length - before).toBe(2);
    // Done after 3 hours, gone 24 hours later: nobody ran the command in between.
    await w.emulator.control.advanceClock(28 * HOUR);
    const rerun = await migrate(w);
    expect(rerun.exitCode, rerun.stderr).toBe(75);
    expect(rerun.stderr).toContain("2 archives waiting for retrieval jobs");
    expect(initiated(w).length - before).toBe(4);
    // The new jobs done: the copy goes on from them.
    await w.emulator.control.advanceClock(4 * HOUR);
    const done = await migrate(w);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stderr).toContain("(this run: 2 copied, 0 found already there, 0 source archives deleted)");
    expect(initiated(w).length - before).toBe(4);
  });

  it("takes over a job a killed run started but did not record, instead of requesting it again", async () => {
    const w = await migrateWorld();
    await seedVault(w, [100, 200, 300]);
    expect((await migrate(w, "--max-jobs", "1")).exitCode).toBe(75);
    // As if a run had been killed between InitiateJob for b.bin and its ledger record.
    const listed = (await w.glacier(["archive", "list", "--force-ids", "v"])).stdout;
    const bId = /^id:(\S+)\tb\.bin$/m.exec(listed)![1]!;
    const client = sdkClient(w);
    await client.send(
      new InitiateJobCommand({
        accountId: "-",
        vaultName: "v",
        jobParameters: { Type: "archive-retrieval", ArchiveId: bId, Tier: "Bulk" },
      }),
    );
    const before = initiated(w).length;
    const next = await migrate(w, "--max-jobs", "5");
    expect(next.exitCode, next.stderr).toBe(75);
    expect(next.stderr).toContain("3 archives waiting for retrieval jobs");
    expect(initiated(w).length - before).toBe(1);
  });

  it("goes all the way in one run on local:DIR, where jobs complete as they start", async () => {
    const dir = await tempDir("glacier-migrate-local-");
    const run = (...args: string[]) =>
      runGlacier(["--endpoint-url", `local:${join(dir, "store")}`, ...args], {
        cwd: dir,
        env: userEnv(join(dir, "home"), "http://127.0.0.1:9"),
        extendEnv: false,
      });
    await mkdir(join(dir, "home"));
    await writeFile(join(dir, "one.txt"), "one\n");
    expect((await run("vault", "create", "v")).exitCode).toBe(0);
    expect((await run("archive", "upload", "v", "one.txt")).exitCode).toBe(0);
    expect((await run("vault", "create", "s3://dest")).exitCode).toBe(0);
    const result = await run("vault", "migrate", "--commit", "--storage-class", "STANDARD", "v", "s3://dest/p");
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain("glacier: info: migrated vault 'v' to s3://dest/p/: 1 archive, 4 bytes");
    expect((await run("vault", "sync", "s3://dest/p")).exitCode).toBe(0);
    expect(await run("archive", "retrieve", "-o", "-", "s3://dest/p", "one.txt")).toMatchObject({
      exitCode: 0,
      stdout: "one\n",
    });
  });

  it("refuses --delete-source, --report and --concurrency without --commit", async () => {
    const w = await migrateWorld();
    for (const flag of [["--delete-source"], ["--report", "r"], ["--concurrency", "2"]])
      expect(await w.glacier(["vault", "migrate", ...flag, "v", TARGET])).toEqual({
        exitCode: 2,
        stdout: "",
        stderr: `glacier: ${flag[0]} applies to --commit only\nglacier: try 'glacier vault migrate --help'\n`,
      });
  });
});

// Each test runs the binary and the AWS CLI a dozen times or more: minutes on a busy machine.
describe("glacier vault migrate --commit (copies)", { timeout: 240_000 }, () => {
  it("exits 75 until the jobs are done, then copies each archive once, verified, and uploads the report", async () => {
    const w = await migrateWorld();
    // a.bin: two 16 MiB parts of a multipart upload; the others one PutObject each.
    const files = await seedVault(w, [17 * 1024 * 1024 + 5, 100, 5000]);
    const migrateStandard = () => migrate(w, "--storage-class", "STANDARD", "--concurrency", "2");
    const first = await migrateStandard();
    expect(first.exitCode, first.stderr).toBe(75);
    expect(first.stderr).toContain("3 archives waiting for retrieval jobs (Bulk)");
    expect(await keysIn(w)).toEqual([]);

    await w.emulator.control.advanceClock(4 * HOUR);
    const second = await migrateStandard();
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(
      "glacier: info: migrated vault 'v' to s3://moved/pre/: 3 archives, 17830897 bytes (17.0 MiB) " +
        "(this run: 3 copied, 0 found already there, 0 source archives deleted)\n",
    );
    expect(await keysIn(w)).toEqual([
      "pre/.glacier-migrate/v.csv",
      "pre/.glacier-migrate/v.jsonl",
      "pre/a.bin",
      "pre/b.bin",
      "pre/c.bin",
    ]);
    for (const [name, bytes] of files) {
      expect((await objectBytes(w, `pre/${name}`)).equals(bytes)).toBe(true);
      const head = await aws(w, "s3api", "head-object", "--bucket", "moved", "--key", `pre/${name}`);
      expect((head.Metadata as Record<string, string>)["sha256-tree-hash"]).toBe(treeHash(bytes));
    }
    expect(operations(w, "UploadPart").length).toBeGreaterThanOrEqual(2);

    // The report, locally and in the bucket: every archive verified, with its checksum.
    const local = await readFile(join(w.dir, "glacier-migrate-v.jsonl"));
    expect((await objectBytes(w, "pre/.glacier-migrate/v.jsonl")).equals(local)).toBe(true);
    const rows = local
      .toString()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.key, r.state, r.tree_hash])).toEqual(
      [...files].map(([name, bytes]) => [`pre/${name}`, "verified", treeHash(bytes)]),
    );
    for (const row of rows) expect(row.s3_checksum).toMatch(/^[A-Za-z0-9+/]+=*(-\d+)?$/);
    const csv = await readFile(join(w.dir, "glacier-migrate-v.csv"));
    expect((await objectBytes(w, "pre/.glacier-migrate/v.csv")).equals(csv)).toBe(true);

    // Done: a rerun asks for nothing, copies nothing, and the vault was never touched.
    const jobs = operations(w, "InitiateJob").length;
    const writes = operations(w, "PutObject").length;
    const third = await migrateStandard();
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stderr).toContain("(this run: 0 copied, 0 found already there, 0 source archives deleted)");
    expect(operations(w, "InitiateJob")).toHaveLength(jobs);
    expect(operations(w, "PutObject").length - writes).toBe(2);
    expect(operations(w, "DeleteArchive")).toEqual([]);
    expect(await keysIn(w)).toHaveLength(5);
  });

  it("with --delete-source deletes only archives whose object is verified, and warns of the fee", async () => {
    const w = await migrateWorld();
    await seedVault(w, [100, 200, 300]);
    const ids = (await w.glacier(["archive", "list", "--force-ids", "v"])).stdout;
    const idOf = (name: string) => new RegExp(String.raw`^id:(\S+)\t${name}$`, "m").exec(ids)![1]!;
    expect((await migrate(w, "--max-jobs", "2", "--delete-source")).exitCode).toBe(75);
    await w.emulator.control.advanceClock(4 * HOUR);

    const second = await migrate(w, "--max-jobs", "2", "--delete-source");
    expect(second.exitCode, second.stderr).toBe(75);
    expect(second.stderr).toContain(
      "glacier: warning: deleting 2 archives younger than 90 days from vault 'v': early-deletion fee about",
    );
    expect(second.stderr).toContain("1 archive waiting for retrieval jobs (Bulk)");
    const deleted = operations(w, "DeleteArchive").map((r) => decodeURIComponent(r.path.split("/").pop()!));
    expect(deleted.sort()).toEqual([idOf("a.bin"), idOf("b.bin")].sort());
    expect((await w.glacier(["archive", "list", "v"])).stdout).toBe("c.bin\n");
    expect(await keysIn(w)).toEqual(["pre/a.bin", "pre/b.bin"]);

    await w.emulator.control.advanceClock(4 * HOUR);
    const third = await migrate(w, "--max-jobs", "2", "--delete-source");
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stderr).toContain("(this run: 1 copied, 0 found already there, 1 source archives deleted)");
    expect(operations(w, "DeleteArchive")).toHaveLength(3);
    const report = (await readFile(join(w.dir, "glacier-migrate-v.jsonl"), "utf8")).trimEnd().split("\n");
    expect(report.map((l) => (JSON.parse(l) as { state: string }).state)).toEqual(["deleted", "deleted", "deleted"]);
  });
});
