// Every transcript in protocol-fixtures/core/ describes the protocol core alone, so it must hold for
// any SpecialRemote; here it is replayed against the session serving the in-memory remote.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { loadTranscript, replay } from "../helpers/transcript.ts";
import { memoryRemote } from "./memory-remote.ts";
import { sessionPeer } from "./session-peer.ts";

const folder = `${ROOT}protocol-fixtures/core/`;
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith(".transcript"))
  .sort();

describe("protocol-fixtures/core replayed against the in-process session", () => {
  it("has fixtures to replay", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of fixtures) {
    it(`replays ${name} byte for byte`, async () => {
      await replay(await loadTranscript(folder + name), sessionPeer(memoryRemote()), {
        lineTimeoutMs: 2000,
        exitTimeoutMs: 2000,
      });
    });
  }
});
