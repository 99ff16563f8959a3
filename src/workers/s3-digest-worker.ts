// Worker thread entry of the emulator's digest pool: computes the digests of S3 request bodies
// whose bytes the main thread receives (see src/emulator/s3/digest-protocol.ts).
import { parentPort } from "node:worker_threads";
import { type Digest, newDigest } from "../emulator/s3/checksums.ts";
import type { DigestReply, DigestTask } from "../emulator/s3/digest-protocol.ts";

const port = parentPort;
if (!port) throw new Error("s3-digest-worker must run in a worker thread");

// Each digest takes a slice in turn, small enough to be read from the CPU cache by the next one.
const SLICE = 256 * 1024;
const bodies = new Map<number, Digest[]>();

port.on("message", (task: DigestTask) => {
  switch (task.kind) {
    case "open":
      bodies.set(
        task.id,
        task.names.map((name) => newDigest(name)),
      );
      return;
    case "data": {
      const digests = bodies.get(task.id) ?? [];
      const bytes = new Uint8Array(task.batch, 0, task.length);
      for (let start = 0; start < bytes.length; start += SLICE) {
        const slice = bytes.subarray(start, start + SLICE);
        for (const digest of digests) digest.update(slice);
      }
      // A dropped body's batches come back too: the pool fills them again.
      const reply: DigestReply = { kind: "ack", id: task.id, batch: task.batch };
      port.postMessage(reply, [task.batch]);
      return;
    }
    case "end": {
      const digests = (bodies.get(task.id) ?? []).map((d) => d.digest());
      bodies.delete(task.id);
      const reply: DigestReply = { kind: "digests", id: task.id, digests };
      port.postMessage(reply);
      return;
    }
    case "drop":
      bodies.delete(task.id);
  }
});
