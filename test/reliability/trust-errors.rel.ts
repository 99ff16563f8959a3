// Fewer, clearer errors and the emulator's fidelity where a client depends on it: a multi-upload to
// a missing vault stops at the first "not found"; a malformed reply is reported in the user's
// terms; a part re-upload that fails its checksum keeps the part stored before; CompleteVaultLock
// with a wrong lock ID on a locked vault is AccessDeniedException (checked with the AWS CLI).
import { execa } from "execa";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MiB, treeHash } from "../../src/core/tree-hash.ts";
import { record } from "./ledger.ts";
import { makeWorld, type World } from "./world.ts";

const worlds: World[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await Promise.all(worlds.map((w) => w.close()));
});

async function world(): Promise<World> {
  const w = await makeWorld({}, "glacier-rel-trust-");
  worlds.push(w);
  return w;
}

/** A proxy in front of the emulator that answers every JSON reply with a body that is not JSON. */
async function garblingProxy(target: string): Promise<string> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (reply) => {
        const json = (reply.headers["content-type"] ?? "").includes("json");
        const headers = { ...reply.headers };
        if (json) {
          delete headers["content-length"];
          reply.resume();
          res.writeHead(reply.statusCode ?? 502, headers);
          res.end("{garbled");
        } else {
          res.writeHead(reply.statusCode ?? 502, headers);
          reply.pipe(res);
        }
      },
    );
    req.pipe(out);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function awsCli(w: World) {
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "example-secret-for-tests",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
  };
  return async (...args: string[]) => {
    const r = await execa(
      "aws",
      ["glacier", ...args, "--account-id", "-", "--endpoint-url", w.emulator.url, "--output", "json"],
      { env, extendEnv: false, reject: false },
    );
    return {
      exitCode: r.exitCode ?? -1,
      stderr: r.stderr,
      json: r.stdout.trim() === "" ? {} : (JSON.parse(r.stdout) as Record<string, unknown>),
    };
  };
}

describe("clear errors", () => {
  it(
    "multi-upload to a missing vault stops at the first " + "'not found' with one line and sends nothing more",
    async () => {
      const w = await world();
      const tree = join(w.dir, "tree");
      await mkdir(tree);
      for (let i = 0; i < 40; i++) await writeFile(join(tree, `f${String(i).padStart(2, "0")}`), `file ${i}\n`);
      const result = await w.glacier(["archive", "multi-upload", "--concurrency", "2", "missing", tree]);
      const uploads = w.emulator.control.requestLog().filter((r) => r.operation === "UploadArchive").length;
      record("trust", "multi-upload to a missing vault: upload requests for 40 files", uploads);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        "glacier: vault 'missing' not found in region us-east-1; nothing uploaded: create it with 'glacier " +
          "vault create missing' or check --region\n",
      );
      expect(uploads).toBeLessThanOrEqual(2);
    },
  );

  it("a malformed reply from the service is one line in the user's terms, with no SDK jargon", async () => {
    const w = await world();
    expect((await w.glacier(["vault", "create", "v"])).exitCode).toBe(0);
    const proxy = await garblingProxy(w.emulator.url);
    const env = { AWS_ENDPOINT_URL_GLACIER: proxy };
    const listed = await w.glacier(["vault", "list"], { env });
    const synced = await w.glacier(["vault", "sync", "v"], { env });
    for (const result of [listed, synced]) {
      expect(result.exitCode).toBe(1);
      const malformed =
        /^glacier: Glacier at http:\/\/127\.0\.0\.1:\d+ sent a malformed reply to (ListVaults|ListJobs) /.source;
      const why = /\(HTTP 200\): its body is not the JSON the Glacier API defines; /.source;
      const next = /if this repeats, check the endpoint URL and any proxy in between\n$/.source;
      expect(result.stderr).toMatch(new RegExp(malformed + why + next));
      expect(result.stderr).not.toMatch(/Deserialization|\$response|SyntaxError/);
    }
    record("trust", "malformed replies reported without SDK jargon", 2);
  });
});

describe("emulator fidelity, checked with the AWS CLI", () => {
  it("keeps the good part stored earlier when its re-upload is refused for a checksum mismatch", async () => {
    const w = await world();
    const aws = awsCli(w);
    expect((await aws("create-vault", "--vault-name", "v")).exitCode).toBe(0);
    const content = Buffer.alloc(2 * MiB, 7);
    content.write("first part", 0);
    content.write("second part", MiB);
    const parts = [content.subarray(0, MiB), content.subarray(MiB)];
    await Promise.all(parts.map((p, k) => writeFile(join(w.dir, `part${k}`), p)));
    await writeFile(join(w.dir, "other"), Buffer.alloc(MiB, 9));
    const uploadId = (await aws("initiate-multipart-upload", "--vault-name", "v", "--part-size", String(MiB))).json[
      "uploadId"
    ] as string;
    const part = (k: number, file: string, ...extra: string[]) =>
      aws(
        "upload-multipart-part",
        "--vault-name",
        "v",
        `--upload-id=${uploadId}`,
        "--range",
        `bytes ${k * MiB}-${(k + 1) * MiB - 1}/*`,
        "--body",
        join(w.dir, file),
        ...extra,
      );
    expect((await part(0, "part0")).exitCode).toBe(0);
    expect((await part(1, "part1")).exitCode).toBe(0);
    // Other bytes, declared with the stored part's tree hash: refused.
    const refused = await part(0, "other", "--checksum", treeHash(parts[0]!));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/InvalidParameterValueException/);
    const listed = await aws("list-parts", "--vault-name", "v", `--upload-id=${uploadId}`);
    expect(listed.json["Parts"]).toEqual([
      { RangeInBytes: `0-${MiB - 1}`, SHA256TreeHash: treeHash(parts[0]!) },
      { RangeInBytes: `${MiB}-${2 * MiB - 1}`, SHA256TreeHash: treeHash(parts[1]!) },
    ]);
    const done = await aws(
      "complete-multipart-upload",
      "--vault-name",
      "v",
      `--upload-id=${uploadId}`,
      "--checksum",
      treeHash(content),
      "--archive-size",
      String(content.length),
    );
    expect(done.exitCode).toBe(0);
    const job = await aws(
      "initiate-job",
      "--vault-name",
      "v",
      "--job-parameters",
      JSON.stringify({ Type: "archive-retrieval", ArchiveId: done.json["archiveId"] }),
    );
    const out = join(w.dir, "out");
    expect(
      (await aws("get-job-output", "--vault-name", "v", `--job-id=${job.json["jobId"] as string}`, out)).exitCode,
    ).toBe(0);
    expect((await readFile(out)).equals(content)).toBe(true);
    record("trust", "part re-upload refused for a checksum: good part kept, archive bytes verified", content.length);
  });

  it("answers CompleteVaultLock with a wrong lock ID on a locked vault with AccessDeniedException", async () => {
    const w = await world();
    const aws = awsCli(w);
    await aws("create-vault", "--vault-name", "locked");
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "deny",
          Principal: "*",
          Effect: "Deny",
          Action: "glacier:DeleteArchive",
          Resource: "arn:aws:glacier:us-east-1:123456789012:vaults/locked",
        },
      ],
    });
    const lockId = (
      await aws("initiate-vault-lock", "--vault-name", "locked", "--policy", JSON.stringify({ Policy: policy }))
    ).json["lockId"] as string;
    expect((await aws("complete-vault-lock", "--vault-name", "locked", `--lock-id=${lockId}`)).exitCode).toBe(0);
    expect((await aws("complete-vault-lock", "--vault-name", "locked", `--lock-id=${lockId}`)).exitCode).toBe(0);
    const wrong = await aws("complete-vault-lock", "--vault-name", "locked", "--lock-id=AAAAAAAAAAAAAAAA");
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/\(AccessDeniedException\) when calling the CompleteVaultLock operation/);
    expect((await aws("get-vault-lock", "--vault-name", "locked")).json).toMatchObject({ State: "Locked" });
    record("trust", "CompleteVaultLock with a wrong ID on a locked vault: AccessDeniedException", 1);
  });
});
