// Kill -9 at seeded instants during `vault migrate --commit` (docs/migrate.md): each run is killed
// after a seeded number of requests to the emulator (Glacier and S3 alike), sometimes a seeded
// moment later, or during start-up; after every kill no object under a final key is incomplete or
// wrong; reruns then finish, and the bucket holds every archive exactly once at its planned key,
// byte-identical by tree hash, with no multipart upload left open and the cache still working.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { check, record } from "./ledger.ts";
import { seeded } from "./rng.ts";
import { MiB, type TreeSpec } from "./tree.ts";
import {
  bucketProblems,
  cacheProblems,
  commitArgs,
  migrateUntilDone,
  migrateWorld,
  rerunProblems,
  type MigrateWorld,
} from "./migrate-world.ts";

const SOAK = process.env["RELIABILITY_SOAK"] === "1";
const SEED = Number(process.env["RELIABILITY_MIGRATE_SEED"] ?? 18_000);
const KILLS = Number(process.env["RELIABILITY_MIGRATE_KILLS"] ?? (SOAK ? 150 : 36));
/** Runs of one migration: past this many the migration is not progressing between kills. */
const MAX_RUNS = 200;
/** A run is killed after 1 to this many requests (or finishes first): every phase gets its kills. */
const REQUEST_WINDOW = 24;
const EXTRA = ["--max-jobs", "4", "--concurrency", "2"];
const section = "crash: vault migrate";

/** Three multipart archives (16 MiB parts), two single-part ones (one the newer archive of a name), six small. */
const spec = (seed: number): TreeSpec => ({
  small: 6,
  large: [35 * MiB + 5, 9 * MiB + 77, 17 * MiB + 1, 20 * MiB + 9],
  seed,
});

interface Round {
  seed: number;
  kills: string[];
  /** Runs that ended on their own before their kill, by exit code. */
  exits: number[];
  problems: string[];
  verified: number;
}

/**
 * Starts one run and kills it at an instant drawn from `random`: 15% of runs at 0-400 ms after the
 * spawn (start-up, cache open, the inventory check), the others once the emulator has logged 1 to
 * REQUEST_WINDOW more requests, half of them a further 0-50 ms later (the local work between
 * requests: ledger records, hashing). Returns the instant, or undefined when the run ended first.
 */
async function runAndKill(
  mw: MigrateWorld,
  random: () => number,
): Promise<{ at: string; killed: boolean; exitCode: number }> {
  const { control } = mw.world.emulator;
  const since = control.requestLog().length;
  const child = mw.world.spawn(commitArgs(EXTRA));
  const state = { exited: false };
  void child.then(() => (state.exited = true));
  let at: string;
  if (random() < 0.15) {
    const ms = Math.floor(random() * 400);
    await sleep(ms);
    at = `${ms} ms after the spawn`;
  } else {
    const n = 1 + Math.floor(random() * REQUEST_WINDOW);
    const later = random() < 0.5 ? Math.floor(random() * 50) : 0;
    while (!state.exited && control.requestLog().length - since < n) await sleep(2);
    if (later > 0) await sleep(later);
    const last = control.requestLog()[since + n - 1]?.operation ?? "?";
    at = `${n} requests (the last ${last})${later > 0 ? ` + ${later} ms` : ""}`;
  }
  const killed = !state.exited;
  child.kill("SIGKILL");
  const result = await child;
  return { at, killed: killed && result.signal === "SIGKILL", exitCode: result.exitCode ?? -1 };
}

async function round(seed: number, killsWanted: number): Promise<Round> {
  const mw = await migrateWorld(spec(seed), { seed });
  const out: Round = { seed, kills: [], exits: [], problems: [], verified: 0 };
  try {
    const random = seeded(seed);
    let done = false;
    for (let run = 0; run < MAX_RUNS && !done && out.kills.length < killsWanted; run++) {
      const r = await runAndKill(mw, random);
      if (r.killed) out.kills.push(r.at);
      else {
        out.exits.push(r.exitCode);
        done = r.exitCode === 0;
        if (![0, 75].includes(r.exitCode)) out.problems.push(`run ${run} exit ${r.exitCode} before its kill (${r.at})`);
      }
      // Whatever the instant, a final key holds the whole archive or nothing.
      const mid = await bucketProblems(mw, { complete: false });
      out.problems.push(...mid.problems.map((p) => `after run ${run} (kill at ${r.at}): ${p}`));
    }
    const rest = await migrateUntilDone(mw.world, { extra: EXTRA });
    const last = rest.runs.at(-1);
    if (!rest.done) out.problems.push(`the reruns did not finish: exit ${last?.exitCode}: ${last?.stderr.trim()}`);
    const end = await bucketProblems(mw, { complete: true });
    out.problems.push(...end.problems);
    out.verified = end.verified;
    out.problems.push(...(await cacheProblems(mw)));
    out.problems.push(...(await rerunProblems(mw, EXTRA)));
    return out;
  } finally {
    await mw.world.close();
  }
}

describe("kill -9 during vault migrate --commit", () => {
  it(
    `${KILLS} seeded kills (seed ${SEED}): no incomplete object under a final key, then every archive ` +
      `exactly once at its key, byte-identical, no upload left open, the cache intact`,
    async () => {
      console.log(`migrate crash harness: seed ${SEED} (RELIABILITY_MIGRATE_SEED replays it)`);
      const rounds: Round[] = [];
      // A migration ends before it has taken all the kills: a new vault then takes the rest.
      while (rounds.reduce((n, r) => n + r.kills.length, 0) < KILLS && rounds.length < 10) {
        const landed = rounds.reduce((n, r) => n + r.kills.length, 0);
        rounds.push(await round(SEED + rounds.length, KILLS - landed));
      }
      const kills = rounds.reduce((n, r) => n + r.kills.length, 0);
      record(section, "seed (RELIABILITY_MIGRATE_SEED)", SEED);
      record(section, "kills -9 / migrations", `${kills} / ${rounds.length}`);
      for (const r of rounds) {
        record(section, `seed ${r.seed}: kills`, r.kills.length);
        record(section, `seed ${r.seed}: runs that ended before their kill (exit codes)`, r.exits.join(", ") || "none");
        record(section, `seed ${r.seed}: bytes verified after the reruns`, r.verified);
        if (process.env["RELIABILITY_VERBOSE"]) console.log(`seed ${r.seed}: kills at ${r.kills.join("; ")}`);
      }
      const problems = rounds.flatMap((r) => r.problems.map((p) => `seed ${r.seed}: ${p}`));
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(check(section, problems)).toEqual([]);
    },
  );
});
