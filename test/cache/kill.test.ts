// "A kill -9 at any instant leaves a cache that opens and holds every archive whose
// upload completed (test: kill a writer at random points, seeded, at least 200 times; reopen; check)."
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.ts";
import { buildChild, spawnChild } from "./child.ts";
import { archiveId, open } from "./helpers.ts";

const TRIALS = Number(process.env.CACHE_KILL_TRIALS ?? 200);
const SEED = Number(process.env.CACHE_KILL_SEED ?? 20261127);
// Trials run in lanes side by side (most of a trial is a child starting up), each in its own folders.
const LANES = 3;
const PER_LANE = Math.ceil(TRIALS / LANES);

let script: string;
beforeAll(async () => {
  script = await buildChild();
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Runs one writer and kills it `delayMs` after its first completed record (or, when `early`, after
 * it opened the cache: the first record also creates the journal, which is worth killing too).
 * Returns the lines it printed.
 */
function killedWriter(
  dir: string,
  seed: number,
  delayMs: number,
  checkpointBytes: number,
  early: boolean,
): Promise<string[]> {
  const child = spawnChild(script, { mode: "writer", dir, seed, checkpointBytes });
  let stdout = "";
  let stderr = "";
  let armed = false;
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!armed && (early || stdout.includes("\nU "))) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      else resolve(stdout.split("\n").filter((l) => l.endsWith("\n") || l !== ""));
    });
  });
}

describe("crash safety", () => {
  it(
    `keeps every completed upload and deletion across ${PER_LANE * LANES} kill -9 of a writer at seeded ` +
      `instants (seed ${SEED})`,
    async () => {
      // A folder lives for 25 trials so later writers meet the torn lines, stale locks and half-done
      // checkpoints of earlier ones.
      const lane = async (laneNo: number) => {
        const random = rng(SEED + laneNo);
        let dir = "";
        let checked = 0;
        let torn = 0;
        const uploaded = new Set<number>();
        const deleted = new Set<number>();
        for (let k = 0; k < PER_LANE; k++) {
          const trial = laneNo * 10_000 + k;
          if (k % 25 === 0) {
            dir = await tempDir("glacier-kill-");
            uploaded.clear();
            deleted.clear();
          }
          const checkpointBytes = [4 * 1024, 32 * 1024, 8 * 1024 * 1024][Math.floor(random() * 3)]!;
          const early = random() < 0.15;
          const lines = await killedWriter(
            dir,
            trial + 1,
            Math.floor(random() * (early ? 150 : 40)),
            checkpointBytes,
            early,
          );
          // The last line may itself be cut short by the kill: only whole lines are reports.
          for (const line of lines.slice(0, -1)) {
            const [kind, n] = line.split(" ");
            if (kind === "U") uploaded.add(Number(n));
            if (kind === "D") deleted.add(Number(n));
          }
          const { cache, warnings } = await open(dir);
          torn += warnings.filter((w) => w.includes("incomplete last record")).length;
          const rows = new Map((await cache.list("v", { includeDeleted: true })).map((a) => [a.id, a]));
          const missing = [...uploaded].filter((n) => !rows.has(archiveId(n)));
          const undeleted = [...deleted].filter((n) => rows.get(archiveId(n))?.deletedHere == null);
          expect({ trial, missing, undeleted }).toEqual({ trial, missing: [], undeleted: [] });
          checked += uploaded.size;
          await cache.close();
        }
        return { checked, torn };
      };
      const results = await Promise.all(Array.from({ length: LANES }, (_, k) => lane(k)));
      const checked = results.reduce((sum, r) => sum + r.checked, 0);
      // The trials must actually have exercised the writer, not killed it before its first record.
      expect(checked).toBeGreaterThan(TRIALS * 10);
      console.log(
        `kill test: ${checked} record checks, ${results.reduce((s, r) => s + r.torn, 0)} torn journal lines ` +
          `dropped on reopen`,
      );
    },
    420_000,
  );
});
