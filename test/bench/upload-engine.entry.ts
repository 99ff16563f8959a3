// Bench driver for the upload engine (bundled by upload.bench.mjs with esbuild, run with plain node):
//   serve DIR          start the emulator on 127.0.0.1, print its URL, run until killed
//   upload URL FILE C  create vault "bench" and upload FILE with concurrency C; print the result JSON
//   retrieve URL ARCHIVE_ID  initiate a retrieval job and complete it (emulator clock); print its ID
//   download URL JOB_ID OUT  download the job's output to OUT in 8 MiB ranges; print the result JSON
import { startEmulator } from "../../src/emulator/index.ts";
import { retryingPort } from "../../src/glacier/retry.ts";
import { createSdkPort } from "../../src/glacier/sdk.ts";
import { downloadArchive } from "../../src/glacier/download.ts";
import { uploadArchive } from "../../src/glacier/upload.ts";
import { systemClock } from "../../src/platform/system-clock.ts";

const [mode, a, b, c] = process.argv.slice(2);
if (mode === "serve") {
  // Auth off so that the bench can lift the default FreeTier retrieval policy with a plain fetch.
  const emulator = await startEmulator({ dataDir: a!, port: 0, auth: "off" });
  console.log(emulator.url);
} else if (mode === "upload") {
  const sdk = createSdkPort({
    region: "us-east-1",
    endpointUrl: a!,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  });
  const port = retryingPort(sdk, { clock: systemClock });
  await port.createVault("bench");
  const result = await uploadArchive({ port, vault: "bench", source: { path: b! }, concurrency: Number(c ?? 4) });
  console.log(JSON.stringify(result));
  await port.close();
} else if (mode === "retrieve") {
  const port = createSdkPort({
    region: "us-east-1",
    endpointUrl: a!,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  });
  const policy = { Policy: { Rules: [{ Strategy: "None" }] } };
  const headers = { "x-amz-glacier-version": "2012-06-01", "content-type": "application/json" };
  const set = await fetch(`${a}/-/policies/data-retrieval`, { method: "PUT", headers, body: JSON.stringify(policy) });
  if (!set.ok) throw new Error(`SetDataRetrievalPolicy: HTTP ${set.status} ${await set.text()}`);
  const { jobId } = await port.initiateJob("bench", { type: "archive", archiveId: b! });
  await fetch(`${a}/_emulator/clock?advance=1`, { method: "POST" });
  console.log(jobId);
  await port.close();
} else if (mode === "download") {
  const sdk = createSdkPort({
    region: "us-east-1",
    endpointUrl: a!,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  });
  const port = retryingPort(sdk, { clock: systemClock });
  const job = await port.describeJob("bench", b!);
  const result = await downloadArchive({ port, job, target: { path: c! }, clock: systemClock });
  console.log(JSON.stringify(result));
  await port.close();
} else {
  throw new Error("usage: serve DIR | upload URL FILE CONCURRENCY | retrieve URL ARCHIVE_ID | download URL JOB_ID OUT");
}
