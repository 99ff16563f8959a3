// The glacier-emulator program (dist/ via bin/), driven over HTTP: the control API under
// /_emulator/ and state kept in DIR across a restart.
import { CreateVaultCommand, DescribeVaultCommand, GlacierClient, UploadArchiveCommand } from "@aws-sdk/client-glacier";
import { execa } from "execa";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { TEST_CREDENTIALS, bytes } from "./helpers.ts";

const BIN = `${ROOT}bin/glacier-emulator.js`;

async function launch(args: string[]) {
  const child = execa(process.execPath, [BIN, ...args], { reject: false });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    void child.then((r) => {
      reject(new Error(`emulator exited ${r.exitCode}: ${r.stderr}`));
    });
  });
  const client = new GlacierClient({
    region: "us-east-1",
    endpoint: url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    child,
    url,
    client,
    stop: async () => {
      client.destroy();
      child.kill("SIGTERM");
      await child;
    },
  };
}

describe("glacier-emulator program", () => {
  it("prints its URL, keeps vaults and clock advances in DIR across a restart", async () => {
    const dir = await tempDir();
    const first = await launch(["--data", dir, "--port", "0"]);
    await first.client.send(new CreateVaultCommand({ accountId: "-", vaultName: "kept" }));
    await first.client.send(new UploadArchiveCommand({ accountId: "-", vaultName: "kept", body: bytes(1000) }));
    const before = (await (await fetch(`${first.url}/_emulator/clock`)).json()) as { nowMs: number };
    const advanced = await fetch(`${first.url}/_emulator/clock?advance=90000`, { method: "POST" });
    expect(advanced.status).toBe(200);
    await first.stop();

    const second = await launch(["--data", dir]);
    const after = (await (await fetch(`${second.url}/_emulator/clock`)).json()) as { nowMs: number };
    expect(after.nowMs - before.nowMs).toBeGreaterThanOrEqual(90_000_000);
    // A day after the upload the inventory has been taken: the counters show the archive.
    const vault = await second.client.send(new DescribeVaultCommand({ accountId: "-", vaultName: "kept" }));
    expect(vault).toMatchObject({ NumberOfArchives: 1, SizeInBytes: 1000 });
    const log = (await (await fetch(`${second.url}/_emulator/requests`)).json()) as {
      requests: { operation: string; status: number }[];
    };
    expect(log.requests).toContainEqual(expect.objectContaining({ operation: "DescribeVault", status: 200 }));
    await second.stop();
  });

  it("exits 2 with a one-line message for a bad option", async () => {
    const result = await execa(process.execPath, [BIN, "--data", "/tmp/x", "--auth", "maybe"], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe('glacier-emulator: --auth: "maybe" is not off, any-key or strict');
  });
});
