// s3rver (npm, pinned in devDependencies), a second S3 implementation we did not write, in a child
// process of its own over a temporary folder. Version 3.7.1 makes its ListObjectsV2 continuation
// tokens with DES, which Node 20's OpenSSL 3 offers only with the legacy provider, hence the flag.
import { execa } from "execa";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { onTestFinished } from "vitest";
import { tempDir } from "./temp-dir.ts";

const SERVER = String.raw`
const S3rver = require(process.argv[1]);
const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: process.argv[2] });
server.run().then((address) => console.log("http://127.0.0.1:" + address.port));
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
`;

/** s3rver checks signatures made with its own default key pair. */
export const S3RVER_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** Starts s3rver on a free port; stopped when the current test finishes. Returns its URL. */
export async function startS3rver(): Promise<string> {
  const dir = await tempDir("s3rver-");
  const main = createRequire(import.meta.url).resolve("s3rver");
  const child = execa(process.execPath, ["--openssl-legacy-provider", "-e", SERVER, main, dir], { reject: false });
  onTestFinished(async () => {
    child.kill("SIGTERM");
    await child;
  });
  return new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    void child.then((r) => {
      reject(new Error(`s3rver exited ${String(r.exitCode)}: ${r.stderr}`));
    });
  });
}
