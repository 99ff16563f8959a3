// Runs the protocol session in this process as a transcript peer: the same transcripts that replay
// against a spawned program replay against runSession with any SpecialRemote.
import { LineQueue } from "../../src/annex/line-queue.ts";
import type { SpecialRemote } from "../../src/annex/remote.ts";
import { runSession } from "../../src/annex/session.ts";
import { OutputLines, type TranscriptPeer } from "../helpers/transcript.ts";

export function sessionPeer(remote: SpecialRemote): TranscriptPeer {
  const input = new LineQueue();
  const output = new OutputLines();
  const logs: string[] = [];
  const done = runSession({
    remote,
    transport: {
      readLine: () => input.readLine(),
      writeLine: async (line) => output.append(line),
    },
    log: (line) => logs.push(line),
  }).then(
    () => 0,
    (error: unknown) => {
      logs.push(`session crashed: ${String(error)}`);
      return 1;
    },
  );
  void done.then(() => output.end());
  const stderr = () => logs.map((line) => `${line}\n`).join("");
  return {
    write: async (bytes) => input.push(bytes),
    closeInput: () => void input.end(),
    readLine: (timeoutMs) => output.readLine(timeoutMs),
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the session did not end within ${timeoutMs} ms of the end of input`)), timeoutMs);
      });
      const exitCode = await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
      return { exitCode, leftover: output.leftover(), stderr: stderr() };
    },
    stderr,
  };
}
