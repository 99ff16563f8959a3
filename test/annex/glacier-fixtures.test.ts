// Every transcript in protocol-fixtures/glacier/ replayed byte for byte against the built
// git-annex-remote-glacier (bin/ -> dist/, so `npx tsup` first, as `npm test` does) talking to an
// emulator over HTTP, each in a fresh world: emulator data, cache, working folder.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { loadTranscript, replay } from "../helpers/transcript.ts";
import { fixtureWorld } from "./glacier-fixture-world.ts";

const folder = `${ROOT}protocol-fixtures/glacier/`;
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith(".transcript"))
  .sort();
const coreFolder = `${ROOT}protocol-fixtures/core/`;
const coreFixtures = readdirSync(coreFolder)
  .filter((name) => name.endsWith(".transcript"))
  .sort();

describe("protocol-fixtures/glacier replayed against git-annex-remote-glacier and the emulator", () => {
  it("has a transcript for each scenario of docs/annex-protocol.md#fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of fixtures) {
    it(`replays ${name} byte for byte and exits 0 at end of input`, async () => {
      const world = await fixtureWorld();
      try {
        const result = await replay(await loadTranscript(folder + name), world.peer(), {
          onDirective: world.onDirective,
          lineTimeoutMs: 15_000,
        });
        expect(result.exitCode).toBe(0);
      } finally {
        await world.emulator.close();
      }
    });
  }
});

// The core transcripts hold for any SpecialRemote, so for the shipped program too.
describe("protocol-fixtures/core replayed against git-annex-remote-glacier", () => {
  for (const name of coreFixtures) {
    it(`replays core/${name} byte for byte`, async () => {
      const world = await fixtureWorld();
      try {
        await replay(await loadTranscript(coreFolder + name), world.peer(), { onDirective: world.onDirective });
      } finally {
        await world.emulator.close();
      }
    });
  }
});
