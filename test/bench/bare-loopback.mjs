// The bare loopback reference of the upload benchmarks, measured in the same run: two node:http
// processes that do only what Glacier makes every upload do, with none of our code. The client
// reads the file in parts (one reused buffer per request in flight), computes each part's SHA-256
// and tree hash, and PUTs it; the server computes both hashes again while it writes the body to a
// file in the given DIR, as a Glacier service must ("both sides hash every byte"). The real tools
// add SigV4, the SDK, retries, the cache and the emulator's model on top, and schedule the work
// their own way: the ratio to this shows how much of the time is the work itself on this machine.
//   node bare-loopback.mjs serve DIR                 prints its URL, serves until killed
//   node bare-loopback.mjs send URL PART CONC FILE...  uploads the files; prints nothing
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { Agent, createServer, request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { MiB, foldDigests, measure } from "./lib.mjs";

const self = fileURLToPath(import.meta.url);

/** Feeds both digests one MiB slice at a time (the second pass reads it from the CPU cache). */
function hashBoth() {
  const linear = createHash("sha256");
  let leaf = createHash("sha256");
  let filled = 0;
  const leaves = [];
  return {
    update(data) {
      for (let offset = 0; offset < data.length; ) {
        const take = Math.min(MiB - filled, data.length - offset);
        const slice = data.subarray(offset, offset + take);
        linear.update(slice);
        leaf.update(slice);
        filled += take;
        offset += take;
        if (filled === MiB) {
          leaves.push(leaf.digest());
          leaf = createHash("sha256");
          filled = 0;
        }
      }
    },
    digest() {
      if (filled > 0 || leaves.length === 0) leaves.push(leaf.digest());
      return [linear.digest("hex"), foldDigests(leaves)];
    },
  };
}

async function serve(dir) {
  let n = 0;
  const server = createServer({ keepAlive: true }, async (req, res) => {
    const handle = await open(join(dir, `part-${n++}`), "w");
    const hashes = hashBoth();
    let batch = [];
    let batchBytes = 0;
    let position = 0;
    let pending = Promise.resolve();
    for await (const chunk of req) {
      hashes.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= MiB) {
        await pending;
        pending = handle.writev(batch, position);
        position += batchBytes;
        batch = [];
        batchBytes = 0;
      }
    }
    await pending;
    if (batchBytes > 0) await handle.writev(batch, position);
    await handle.close();
    const [sha256, tree] = hashes.digest();
    res.writeHead(sha256 === req.headers["x-amz-content-sha256"] && tree === req.headers["x-amz-sha256-tree-hash"] ? 204 : 400).end();
  });
  server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
}

async function send(url, part, concurrency, files) {
  // Every file in parts of at most `part` bytes (a band of 8 MiB is one request, as for multi-upload).
  const tasks = [];
  for (const file of files) {
    const handle = await open(file, "r");
    const { size } = await handle.stat();
    for (let start = 0; start < size; start += part) tasks.push({ handle, start, length: Math.min(part, size - start) });
  }
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    const buffer = Buffer.allocUnsafeSlow(part);
    while (next < tasks.length) {
      const { handle, start, length } = tasks[next++];
      const body = buffer.subarray(0, length);
      await handle.read(body, 0, length, start);
      const hashes = hashBoth();
      hashes.update(body);
      const [sha256, tree] = hashes.digest();
      const status = await new Promise((resolve, reject) => {
        const req = request(url, { method: "PUT", agent, headers: { "content-length": length, "x-amz-content-sha256": sha256, "x-amz-sha256-tree-hash": tree } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode));
        });
        req.on("error", reject);
        req.end(body);
      });
      if (status !== 204) throw new Error(`part at ${start}: HTTP ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all([...new Set(tasks.map((t) => t.handle))].map((h) => h.close()));
  agent.destroy();
}

/**
 * Seconds the bare client and server take to upload `files` (a path or a list) in requests of at
 * most `part` bytes, `concurrency` at a time, the server writing into `dir`.
 */
export async function bareLoopbackSeconds(files, dir, part, concurrency) {
  const server = spawn(process.execPath, [self, "serve", dir], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise((resolve) => createInterface({ input: server.stdout }).once("line", resolve));
    const run = await measure(process.execPath, [self, "send", url, String(part), String(concurrency), ...[files].flat()]);
    if (run.code !== 0) throw new Error(`bare loopback client exited ${run.code}`);
    return run.seconds;
  } finally {
    server.kill();
  }
}

if (process.argv[1] === self) {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === "serve") await serve(a);
  else if (mode === "send") await send(a, Number(b), Number(c), process.argv.slice(6));
}
