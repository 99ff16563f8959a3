// Worker thread entry: hashes file ranges on request (see src/platform/hash-protocol.ts).
import { parentPort } from "node:worker_threads";
import type { HashReply, HashTask } from "../platform/hash-protocol.ts";
import { hashFileRange } from "./read-range.ts";

const port = parentPort;
if (!port) throw new Error("hash-worker must run in a worker thread");

port.on("message", (task: HashTask) => {
  let reply: HashReply;
  try {
    const digest = hashFileRange(task.path, task.start, task.length, task.linear, task.partSize);
    const chunkHashes = Buffer.concat(digest.chunkHashes);
    reply = {
      id: task.id,
      ok: true,
      bytes: digest.bytes,
      chunkHashes,
      ...(digest.sha256 ? { sha256: digest.sha256 } : {}),
      ...(digest.partSha256s ? { partSha256s: digest.partSha256s } : {}),
    };
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    reply = { id: task.id, ok: false, message: error.message, ...(error.code ? { code: error.code } : {}) };
  }
  port.postMessage(reply);
});
