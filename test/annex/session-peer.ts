// Runs the protocol session in this process as a transcript peer: the same transcripts that replay
// against a spawned program replay against runSession with any SpecialRemote.
import { LineQueue } from "../../src/annex/line-queue.ts";
import type { SpecialRemote } from "../../src/annex/remote.ts";
import { runSession } from "../../src/annex/session.ts";
import { OutputLines, parseTranscript, replay, type TranscriptPeer } from "../helpers/transcript.ts";

export function sessionPeer(remote: SpecialRemote): TranscriptPeer {
  const input = new LineQueue();
  const output = new OutputLines();
  const logs: string[] = [];
  const done = runSession({
    remote,
    transport: {
      readLine: () => input.readLine(),
      writeLine: (line) => {
        output.append(line);
        return Promise.resolve();
      },
    },
    log: (line) => logs.push(line),
  }).then(
    (end) => (end === "protocol-error" ? 1 : 0),
    (error: unknown) => {
      logs.push(`session crashed: ${String(error)}`);
      return 1;
    },
  );
  void done.then(() => {
    output.end();
  });
  const stderr = () => logs.map((line) => `${line}\n`).join("");
  return {
    write: (bytes) => {
      input.push(bytes);
      return Promise.resolve();
    },
    closeInput: () => void input.end(),
    readLine: (timeoutMs) => output.readLine(timeoutMs),
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`the session did not end within ${timeoutMs} ms of the end of input`));
        }, timeoutMs);
      });
      const exitCode = await Promise.race([done, timeout]).finally(() => {
        clearTimeout(timer);
      });
      return { exitCode, leftover: output.leftover(), stderr: stderr() };
    },
    stderr,
    dispose: () => void input.end(),
  };
}

/** Replays an inline transcript against a session serving `remote`. */
export function runTranscript(remote: SpecialRemote, transcript: string) {
  return replay(parseTranscript(transcript, "transcript"), sessionPeer(remote), {
    lineTimeoutMs: 2000,
    exitTimeoutMs: 2000,
  });
}

/** The opening of every session with 10.20230126's offer. */
export const OPENING = String.raw`< VERSION 1
> EXTENSIONS INFO GETGITREMOTENAME ASYNC
< EXTENSIONS INFO GETGITREMOTENAME`;

/** OPENING then a successful PREPARE of memoryRemote with vault v1. */
export const PREPARED = String.raw`${OPENING}
> PREPARE
< GETCONFIG vault
> VALUE v1
< PREPARE-SUCCESS`;
