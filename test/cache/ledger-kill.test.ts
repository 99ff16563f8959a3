// The migration ledger rides the cache journal (docs/cache.md#durability): a kill -9 at any instant
// leaves every archive at the last step reported durable, or later, and never at an earlier one.
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.ts";
import { buildChild, spawnChild } from "./child.ts";
import { archiveId, open } from "./helpers.ts";

const TRIALS = Number(process.env.LEDGER_KILL_TRIALS ?? 12);
const SEED = Number(process.env.LEDGER_KILL_SEED ?? 20261202);
const STEPS = ["planned", "requested", "retrieved", "uploading", "verified"];

let script: string;
beforeAll(async () => {
  script = await buildChild();
});

/** Runs a ledger writer and kills it `delayMs` after its first durable step; resolves its output lines. */
function killedLedgerWriter(dir: string, seed: number, delayMs: number): Promise<string[]> {
  const child = spawnChild(script, { mode: "ledger", dir, seed, checkpointBytes: 16 * 1024 });
  let stdout = "";
  let stderr = "";
  let armed = false;
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!armed && stdout.includes("\nM ")) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`ledger writer ended by itself (code ${code}): ${stderr}`));
      else resolve(stdout.split("\n"));
    });
  });
}

describe("migration ledger crash safety", () => {
  it(`keeps every reported step across ${TRIALS} kill -9 of a ledger writer (seed ${SEED})`, async () => {
    let checked = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await tempDir("glacier-ledger-kill-");
      const lines = await killedLedgerWriter(dir, SEED + trial, (SEED + trial * 7919) % 60);
      const reported = new Map<number, number>();
      // The last line may be cut short by the kill: only whole lines are reports.
      for (const line of lines.slice(0, -1)) {
        const [kind, n, state] = line.split(" ");
        if (kind === "M") reported.set(Number(n), Math.max(reported.get(Number(n)) ?? -1, STEPS.indexOf(state ?? "")));
      }
      const { cache } = await open(dir);
      const ledger = new Map((await cache.migrations("v")).map((e) => [e.archiveId, e]));
      const behind = [...reported].filter(([n, step]) => STEPS.indexOf(ledger.get(archiveId(n))?.state ?? "") < step);
      expect({ trial, behind }).toEqual({ trial, behind: [] });
      for (const [n] of reported) expect(ledger.get(archiveId(n))?.targetKey).toBe(`k/${n}`);
      checked += reported.size;
      await cache.close();
    }
    expect(checked).toBeGreaterThan(TRIALS);
  }, 300_000);
});
