// The protocol core in a real process: io.ts on the process's own pipes, replayed by transcript.
// Proves what in-process tests cannot: lines arrive through a pipe, and the process exits on EOF.
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { loadTranscript, parseTranscript, replay, spawnPeer } from "../helpers/transcript.ts";
import { PREPARED } from "./session-peer.ts";

let dir = "";
let program = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "annex-process-"));
  await build({
    config: false,
    entry: { "memory-remote": `${ROOT}test/annex/memory-remote-program.ts` },
    format: ["esm"],
    target: "node20",
    platform: "node",
    outDir: dir,
    silent: true,
  });
  program = join(dir, "memory-remote.js");
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const peer = () => spawnPeer(process.execPath, [program]);
const folder = `${ROOT}protocol-fixtures/core/`;

describe("the protocol core as a process", () => {
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith(".transcript"))
    .sort()) {
    // The exit code is the transcript's (@exit): 0 at end of input, 1 after a malformed request.
    it(`replays protocol-fixtures/core/${name} with its exit code`, async () => {
      const transcript = await loadTranscript(folder + name);
      const result = await replay(transcript, peer());
      expect(result.exitCode).toBe(
        transcript.steps.some((step) => step.kind === "directive" && step.name === "exit") ? 1 : 0,
      );
    });
  }

  it("stores a File with invalid UTF-8 through real pipes and reports the cut last line on stderr", async () => {
    const transcript = parseTranscript(
      String.raw`${PREPARED}
> TRANSFER STORE K1 a \xff b\x20
< PROGRESS 0
< PROGRESS 6
< SETSTATE K1 archive-1
< TRANSFER-SUCCESS STORE K1
> CHECKPRESENT K1
< CHECKPRESENT-SUCCESS K1
@write REMOVE K
@stderr ^memory-remote: input ended in the middle of a line; ignored 8 bytes$`,
      "store.transcript",
    );
    await replay(transcript, peer());
  });
});
