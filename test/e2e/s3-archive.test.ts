// s3://BUCKET[/PREFIX] wherever a VAULT goes: the archive commands of the built `glacier` against
// the emulator's S3 API (AWS_ENDPOINT_URL_S3), restores completed on its virtual clock, and the
// objects read back by the AWS CLI, a client we did not write.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { treeHash } from "../../src/core/tree-hash.ts";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";
import { awsCli } from "../helpers/tools.ts";

const HOUR = 3600;

async function s3World(): Promise<CliWorld> {
  const world = await cliWorld();
  world.env.AWS_ENDPOINT_URL_S3 = world.emulator.url;
  return world;
}

async function aws(world: CliWorld, ...args: string[]): Promise<{ exitCode: number; json: Record<string, unknown> }> {
  const result = await execa(await awsCli(), [...args, "--endpoint-url", world.emulator.url, "--output", "json"], {
    env: { ...world.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" },
    cwd: world.dir,
    reject: false,
  });
  const text = result.stdout.trim();
  return {
    exitCode: result.exitCode ?? -1,
    json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe("archives on s3:// addresses", () => {
  it("uploads to DEEP_ARCHIVE with its tree hash, restores (exit 75 until ready), downloads verified", async () => {
    const w = await s3World();
    const data = randomBytes(20 * 1024 * 1024 + 12345);
    await writeFile(join(w.dir, "big.bin"), data);
    expect(await w.glacier(["vault", "create", "s3://backups"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    // 8 MiB parts (S3 takes none under 5 MiB): a multipart upload of 3 parts.
    expect(
      await w.glacier([
        "archive",
        "upload",
        "--part-size",
        "8388608",
        "--name",
        "nightly/big.bin",
        "s3://backups/host",
        "big.bin",
      ]),
    ).toEqual({ exitCode: 0, stdout: "", stderr: "" });

    const head = await aws(w, "s3api", "head-object", "--bucket", "backups", "--key", "host/nightly/big.bin");
    expect(head.exitCode).toBe(0);
    expect(head.json.StorageClass).toBe("DEEP_ARCHIVE");
    expect(head.json.ContentLength).toBe(data.length);
    expect(head.json.Metadata).toEqual({ "sha256-tree-hash": treeHash(data), size: String(data.length) });

    const first = await w.glacier(["archive", "retrieve", "-o", "back.bin", "s3://backups/host", "nightly/big.bin"]);
    expect(first.exitCode).toBe(75);
    expect(first.stderr).toMatch(
      new RegExp(
        "^glacier: info: 'nightly/big\\.bin': restore expected ready by \\S+; run the same command again then\n" +
          "glacier: queued retrieval job for archive 'nightly/big\\.bin'\n$",
      ),
    );
    const again = await w.glacier(["archive", "retrieve", "-o", "back.bin", "s3://backups/host", "nightly/big.bin"]);
    expect(again.exitCode).toBe(75);
    expect(again.stderr).toMatch(/\nglacier: job still pending for archive 'nightly\/big\.bin'\n$/);

    // DEEP_ARCHIVE Standard: about 12 h.
    await w.emulator.control.advanceClock(13 * HOUR);
    expect(
      await w.glacier([
        "archive",
        "retrieve",
        "--multipart-size",
        "1048576",
        "-o",
        "back.bin",
        "s3://backups/host",
        "nightly/big.bin",
      ]),
    ).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await readFile(join(w.dir, "back.bin"))).equals(data)).toBe(true);
  });

  it("reads GLACIER_IR objects at once, answers checkpresent from the bucket and deletes", async () => {
    const w = await s3World();
    await writeFile(join(w.dir, "notes.txt"), "instant notes\n");
    expect((await w.glacier(["vault", "create", "s3://instant"])).exitCode).toBe(0);
    expect(
      await w.glacier(["--storage-class", "GLACIER_IR", "archive", "upload", "s3://instant", "notes.txt"]),
    ).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(await w.glacier(["archive", "list", "s3://instant"])).toEqual({
      exitCode: 0,
      stdout: "notes.txt\n",
      stderr: "",
    });
    expect(await w.glacier(["archive", "retrieve", "-o", "-", "s3://instant", "notes.txt"])).toEqual({
      exitCode: 0,
      stdout: "instant notes\n",
      stderr: "",
    });
    // Another machine (an empty cache) finds it at once: the listing needs no inventory job.
    const other = await w.glacier([
      "--cache-dir",
      join(w.dir, "other"),
      "archive",
      "checkpresent",
      "s3://instant",
      "notes.txt",
    ]);
    expect(other).toEqual({ exitCode: 0, stdout: "notes.txt\n", stderr: "" });
    expect(await w.glacier(["archive", "delete", "s3://instant", "notes.txt"])).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect((await aws(w, "s3api", "head-object", "--bucket", "instant", "--key", "notes.txt")).exitCode).not.toBe(0);
  });

  it("stores a single-request upload with its SHA-256 checksum, which the AWS CLI verifies on download", async () => {
    const w = await s3World();
    const data = randomBytes(200_000);
    await writeFile(join(w.dir, "photo.jpg"), data);
    expect((await w.glacier(["vault", "create", "s3://photos"])).exitCode).toBe(0);
    expect(
      (await w.glacier(["--storage-class", "STANDARD", "archive", "upload", "s3://photos/2026", "photo.jpg"])).exitCode,
    ).toBe(0);
    const got = await aws(
      w,
      "s3api",
      "get-object",
      "--bucket",
      "photos",
      "--key",
      "2026/photo.jpg",
      "--checksum-mode",
      "ENABLED",
      "copy.jpg",
    );
    expect(got.exitCode).toBe(0);
    expect(got.json.ChecksumSHA256).toBe(
      (await import("node:crypto")).createHash("sha256").update(data).digest("base64"),
    );
    expect((await readFile(join(w.dir, "copy.jpg"))).equals(data)).toBe(true);
  });

  it("refuses a stream longer than one part, whose tree hash cannot be known before the upload starts", async () => {
    const w = await s3World();
    expect((await w.glacier(["vault", "create", "s3://streams"])).exitCode).toBe(0);
    const piped = await w.glacier(
      ["archive", "upload", "--part-size", "8388608", "--name", "big", "s3://streams", "-"],
      {
        input: randomBytes(9 * 1024 * 1024),
      },
    );
    expect(piped.exitCode).toBe(1);
    expect(piped.stderr).toMatch(/^glacier: <stdin>: more than one part \(8388608 bytes\) from a stream: .*\n$/);
    expect(piped.stderr.split("\n")).toHaveLength(2);
    expect(w.emulator.control.requestLog().filter((r) => r.operation === "CreateMultipartUpload")).toEqual([]);
    // A stream that fits one part is one PutObject.
    const small = await w.glacier(["archive", "upload", "--name", "small", "s3://streams", "-"], { input: "tiny\n" });
    expect(small).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("serves s3:// from local:DIR with no AWS account, restores completing at once", async () => {
    const w = await s3World();
    const env = {
      AWS_ENDPOINT_URL_S3: "",
      AWS_ENDPOINT_URL_GLACIER: "",
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
    };
    const local = ["--endpoint-url", `local:${join(w.dir, "data")}`];
    await writeFile(join(w.dir, "a.txt"), "local alpha\n");
    expect(await w.glacier([...local, "vault", "create", "s3://local-bucket"], { env })).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(await w.glacier([...local, "archive", "upload", "s3://local-bucket/p", "a.txt"], { env })).toEqual({
      exitCode: 0,
      stdout: "",
      stderr: "",
    });
    expect(
      await w.glacier([...local, "archive", "retrieve", "-o", "-", "s3://local-bucket/p", "a.txt"], { env }),
    ).toEqual({
      exitCode: 0,
      stdout: "local alpha\n",
      stderr: "",
    });
    // The same run's emulator serves vaults too.
    expect((await w.glacier([...local, "vault", "create", "v"], { env })).exitCode).toBe(0);
    expect(await w.glacier([...local, "vault", "list"], { env })).toEqual({ exitCode: 0, stdout: "v\n", stderr: "" });
    expect(w.emulator.control.requestLog()).toEqual([]);
  });

  it("in a bucket without versioning, deleting a replaced version leaves its replacement in place", async () => {
    const w = await s3World();
    const root = join(w.dir, "tree");
    await mkdir(root);
    await writeFile(join(root, "doc.txt"), "first\n");
    const ir = ["--storage-class", "GLACIER_IR"];
    expect((await w.glacier(["vault", "create", "s3://plain"])).exitCode).toBe(0);
    expect((await w.glacier([...ir, "archive", "multi-upload", "s3://plain", root])).exitCode).toBe(0);
    await writeFile(join(root, "doc.txt"), "second\n");
    const commit = await w.glacier([
      ...ir,
      "vault",
      "reconcile",
      "--commit",
      "--keep-versions",
      "0",
      "s3://plain",
      root,
    ]);
    expect(commit.exitCode, commit.stderr).toBe(0);
    // The upload replaced the object: the plan says so, and nothing is left to delete now.
    expect(commit.stderr).toMatch(/1 changed file overwrites its object: the bucket keeps no versions/);
    expect(commit.stderr).toMatch(/reconciled: 1 uploaded, 1 old version superseded, 0 deleted, 0 kept\n/);
    // Pruning the superseded version forgets it without touching its replacement.
    const prune = await w.glacier([...ir, "vault", "prune", "--keep-versions", "0", "s3://plain"]);
    expect(prune.exitCode, prune.stderr).toBe(0);
    expect(await w.glacier(["archive", "retrieve", "-o", "-", "s3://plain", "doc.txt"])).toEqual({
      exitCode: 0,
      stdout: "second\n",
      stderr: "",
    });
  });

  it("multi-deletes objects by name, saying each, and stops at a name the bucket does not hold", async () => {
    const w = await s3World();
    const root = join(w.dir, "tree");
    await mkdir(join(root, "sub"), { recursive: true });
    for (const name of ["a.txt", "b.txt", "sub/c.txt"]) await writeFile(join(root, name), `${name}\n`);
    expect((await w.glacier(["vault", "create", "s3://several"])).exitCode).toBe(0);
    expect((await w.glacier(["archive", "multi-upload", "s3://several/host", root])).exitCode).toBe(0);
    const keys = async (): Promise<unknown> =>
      ((await aws(w, "s3api", "list-objects-v2", "--bucket", "several")).json.Contents as { Key: string }[]).map(
        (o) => o.Key,
      );
    expect(await keys()).toEqual(["host/a.txt", "host/b.txt", "host/sub/c.txt"]);

    const result = await w.glacier(["archive", "multi-delete", "s3://several/host", "sub/c.txt", "nope", "a.txt"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        "glacier: info: Deleting archive sub/c.txt\nglacier: info: 1 archive deleted\n" +
        "glacier: archive 'nope' not found\n",
    });
    // The deletion before the absent name is done; the name after it is untouched.
    expect(await keys()).toEqual(["host/a.txt", "host/b.txt"]);
    expect(w.emulator.control.requestLog().filter((r) => r.operation === "DeleteObject")).toHaveLength(1);

    const rest = await w.glacier(["archive", "multi-delete", "s3://several/host", "a.txt", "b.txt"]);
    expect(rest).toEqual({
      exitCode: 0,
      stdout: "",
      stderr:
        "glacier: info: Deleting archive a.txt\nglacier: info: Deleting archive b.txt\n" +
        "glacier: info: 2 archives deleted\n",
    });
    expect((await aws(w, "s3api", "list-objects-v2", "--bucket", "several")).json.Contents).toBeUndefined();
    expect(await w.glacier(["archive", "list", "s3://several/host"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("refuses a bad bucket name with one usage line", async () => {
    const w = await s3World();
    expect(await w.glacier(["archive", "list", "s3://No_Such"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        "glacier: invalid S3 address \"s3://No_Such\": expected s3://BUCKET[/PREFIX] with a bucket name of 3 to 63 characters of a-z, 0-9, '.' and '-'\n",
    });
  });
});
