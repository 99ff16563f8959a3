// One SDK client downloading ranges of a job's output on its own thread, for bench:emulator: each
// range's body is tree-hashed as it arrives and checked against the response's tree-hash header.
// Several of these run at once, as a client with one connection per thread would; they take the
// next range from a shared counter. workerData: { endpoint, jobId, size, part, next: Int32Array }.
// It posts "ready" once loaded, waits for any message, then posts its { index: tree hash }.
import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { GetJobOutputCommand, GlacierClient } from "@aws-sdk/client-glacier";
import { MiB, foldDigests } from "./lib.mjs";

/**
 * Tree hash of a response body hashed as it arrives (no copy of the range in memory). 'data'
 * events rather than `for await`: one promise less per 64 KiB chunk, 16,384 per GiB.
 */
function streamTreeHash(body) {
  const digests = [];
  let current = createHash("sha256");
  let filled = 0;
  return new Promise((resolve, reject) => {
    body.on("data", (chunk) => {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(MiB - filled, chunk.length - offset);
        current.update(chunk.subarray(offset, offset + take));
        filled += take;
        offset += take;
        if (filled === MiB) {
          digests.push(current.digest());
          current = createHash("sha256");
          filled = 0;
        }
      }
    });
    body.on("error", reject);
    body.on("end", () => {
      if (filled > 0 || digests.length === 0) digests.push(current.digest());
      resolve(foldDigests(digests));
    });
  });
}

const { endpoint, jobId, size, part, next } = workerData;
const client = new GlacierClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  maxAttempts: 1,
});
// Loaded and ready: the bench starts its clock and says go (module loading is not download time).
parentPort.postMessage("ready");
await new Promise((resolve) => parentPort.once("message", resolve));
const hashes = {};
for (let index = Atomics.add(next, 0, 1); index * part < size; index = Atomics.add(next, 0, 1)) {
  const start = index * part;
  const end = Math.min(start + part, size) - 1;
  const out = await client.send(
    new GetJobOutputCommand({ accountId: "-", vaultName: "bench", jobId, range: `bytes=${start}-${end}` }),
  );
  const hash = await streamTreeHash(out.body);
  if (hash !== out.checksum) throw new Error(`range ${start}-${end}: tree hash ${hash} != header ${out.checksum}`);
  hashes[index] = hash;
}
client.destroy();
parentPort.postMessage(hashes);
