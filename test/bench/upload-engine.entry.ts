// Bench driver for the upload engine (bundled by upload.bench.mjs with esbuild, run with plain node):
//   serve DIR          start the emulator on 127.0.0.1, print its URL, run until killed
//   upload URL FILE C  create vault "bench" and upload FILE with concurrency C; print the result JSON
import { startEmulator } from "../../src/emulator/index.ts";
import { retryingPort } from "../../src/glacier/retry.ts";
import { createSdkPort } from "../../src/glacier/sdk.ts";
import { uploadArchive } from "../../src/glacier/upload.ts";
import { systemClock } from "../../src/runtime/system-clock.ts";

const [mode, a, b, c] = process.argv.slice(2);
if (mode === "serve") {
  const emulator = await startEmulator({ dataDir: a!, port: 0 });
  console.log(emulator.url);
} else if (mode === "upload") {
  const sdk = createSdkPort({ region: "us-east-1", endpointUrl: a!, credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" } });
  const port = retryingPort(sdk, { clock: systemClock });
  await port.createVault("bench");
  const result = await uploadArchive({ port, vault: "bench", source: { path: b! }, concurrency: Number(c ?? 4) });
  console.log(JSON.stringify(result));
  await port.close();
} else {
  throw new Error("usage: serve DIR | upload URL FILE CONCURRENCY");
}
