// Binds a session to Node streams: the only annex file that touches streams. stdin is read as
// Buffers (never setEncoding: "Work on bytes, not JS strings decoded as UTF-8"), stdout carries
// protocol lines only, and stderr carries everything meant for the user.
import type { Readable, Writable } from "node:stream";
import type { Transport } from "./channel.ts";
import { LineQueue } from "./line-queue.ts";
import type { SpecialRemote } from "./remote.ts";
import { runSession, type SessionEnd } from "./session.ts";

export interface RemoteStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export interface ServeOptions {
  /** Prefix of our stderr lines, e.g. "git-annex-remote-glacier". */
  program: string;
}

/** Serves one git-annex session; resolves when stdin ends or a malformed request ended it (then exit 1). */
export async function serveRemote(
  remote: SpecialRemote,
  streams: RemoteStreams,
  { program }: ServeOptions,
): Promise<SessionEnd> {
  const { stdin, stdout, stderr } = streams;
  const log = (line: string) => void stderr.write(`${program}: ${line}\n`);
  const queue = new LineQueue();
  const onData = (chunk: Buffer | string) => {
    queue.push(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
  };
  let ended = false;
  const onEnd = () => {
    if (ended) return;
    ended = true;
    const cut = queue.end();
    if (cut.length > 0) log(`input ended in the middle of a line; ignored ${cut.length} bytes`);
  };
  const onError = (error: Error) => {
    log(`cannot read from git-annex: ${error.message}`);
    onEnd();
  };
  stdin.on("data", onData);
  stdin.once("end", onEnd);
  stdin.once("error", onError);
  stdin.once("close", onEnd);
  try {
    const transport: Transport = { readLine: () => queue.readLine(), writeLine: (line) => writeTo(stdout, line) };
    return await runSession({ remote, transport, log });
  } finally {
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    stdin.off("error", onError);
    stdin.off("close", onEnd);
    stdin.pause();
  }
}

function writeTo(stream: Writable, line: Uint8Array): Promise<void> {
  // The callback runs once the line has been handed on, or with the write error (EPIPE when git-annex
  // is gone); waiting for it keeps a slow reader from buffering unbounded PROGRESS lines in memory.
  return new Promise((resolve, reject) => {
    stream.write(line, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
