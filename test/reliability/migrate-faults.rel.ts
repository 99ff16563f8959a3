// `vault migrate --commit` (docs/migrate.md) against a faulty service: with about 10% of requests
// faulted on both sides (Glacier: throttling, 500/503, resets, resets in the body, truncated and
// flipped job output; S3: the same errors and resets, resets in the middle of a part, a completed
// upload whose answer is lost) the migration finishes, reruns allowed, with every object verified.
// With a side down mid-copy (every request failing) the run ends, exit 1, with one clear line after
// bounded retries, and once the service is back the reruns finish the migration.
import { describe, expect, it } from "vitest";
import type { FaultSpec, RequestLogEntry } from "../../src/emulator/index.ts";
import { everyRequest, faultCounts, oneLine, tenPercent } from "./fault-specs.ts";
import { check, record } from "./ledger.ts";
import { MiB, type TreeSpec } from "./tree.ts";
import {
  BUCKET,
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
const EXTRA = ["--concurrency", "2"];
const S3_UPLOADS = ["UploadPart", "PutObject"];
const SPEC: TreeSpec = { small: 12, large: [33 * MiB + 3, 17 * MiB + 9, 6 * MiB + 5], seed: SEED };
const DOWN_SPEC: TreeSpec = { small: 4, large: [18 * MiB + 7, 9 * MiB + 9], seed: SEED + 7 };

/** Both sides' 10%, plus a completed S3 upload whose answer never arrives (the client must not copy twice). */
function bothSides(): FaultSpec[] {
  return [
    ...tenPercent(S3_UPLOADS),
    { kind: "reset-after", operation: "CompleteMultipartUpload", probability: 0.02 },
    { kind: "reset-after", operation: "PutObject", probability: 0.02 },
  ];
}

const side = (r: RequestLogEntry): string => (/^\/(-|\d{12})\/vaults\//.test(r.path) ? "Glacier" : "S3");

async function finishAndCheck(mw: MigrateWorld, problems: string[]): Promise<number> {
  const end = await bucketProblems(mw, { complete: true });
  problems.push(...end.problems, ...(await cacheProblems(mw)));
  problems.push(...(await rerunProblems(mw, EXTRA)));
  return end.verified;
}

describe("vault migrate --commit with 10% faults on Glacier and S3", () => {
  it("finishes (reruns allowed after exit 1 or 75) with every object verified", async () => {
    const rounds = SOAK ? 5 : 1;
    for (let round = 0; round < rounds; round++) {
      const seed = SEED + round;
      const mw = await migrateWorld({ ...SPEC, seed }, { seed });
      const section = "faults: 10% vault migrate";
      try {
        const { control } = mw.world.emulator;
        const from = control.requestLog().length;
        control.setFaults(bothSides());
        const result = await migrateUntilDone(mw.world, { extra: EXTRA, allowFailures: true, maxRuns: 30 });
        const log = control.requestLog().slice(from);
        control.setFaults([]);
        const problems: string[] = [];
        const last = result.runs.at(-1);
        if (!result.done)
          problems.push(
            `not finished after ${result.runs.length} runs: exit ${last?.exitCode}: ${last?.stderr.trim()}`,
          );
        for (const r of result.runs)
          if (/\n\s+at /.test(r.stderr)) problems.push(`a stack trace on stderr: ${r.stderr.slice(0, 300)}`);
        const verified = await finishAndCheck(mw, problems);
        record(section, `seed ${seed}: archives, bytes`, `${mw.planned.size}, ${mw.bytes}`);
        record(section, `seed ${seed}: runs (exit codes)`, result.runs.map((r) => r.exitCode).join(", "));
        for (const name of ["Glacier", "S3"]) {
          const mine = log.filter((r) => side(r) === name);
          record(
            section,
            `seed ${seed}: ${name} requests / faulted`,
            `${mine.length} / ${mine.filter((r) => r.faults.length > 0).length}`,
          );
          for (const [kind, n] of [...faultCounts(mine)].sort())
            record(section, `seed ${seed}: ${name} faults injected: ${kind}`, n);
        }
        record(section, `seed ${seed}: bytes verified in S3`, verified);
        expect(
          check(
            section,
            problems.map((p) => `seed ${seed}: ${p}`),
          ),
        ).toEqual([]);
      } finally {
        await mw.world.close();
      }
    }
  });
});

type Outage = "Glacier and S3" | "Glacier" | "S3";

/** Every request failing, on one side (rules scoped to the vault or the bucket) or on both. */
function down(outage: Outage): FaultSpec[] {
  const rules = everyRequest(S3_UPLOADS);
  if (outage === "Glacier and S3") return rules;
  return rules.map((r) => ({ ...r, vault: outage === "Glacier" ? "v" : BUCKET }));
}

describe("vault migrate --commit with a service down", () => {
  for (const outage of ["Glacier and S3", "Glacier", "S3"] as const) {
    it(`${outage} down mid-copy: exit 1 and one clear line after bounded retries; the rerun finishes`, async () => {
      const mw = await migrateWorld(DOWN_SPEC, { seed: SEED });
      const section = `faults: ${outage} down, vault migrate`;
      try {
        const { control } = mw.world.emulator;
        const from = control.requestLog().length;
        const child = mw.world.spawn(commitArgs(EXTRA), { timeoutMs: 300_000 });
        const state = { exited: false };
        void child.then(() => (state.exited = true));
        // Down once the first object bytes go to S3: jobs requested, a copy under way.
        while (
          !state.exited &&
          !control
            .requestLog()
            .slice(from)
            .some((r) => S3_UPLOADS.includes(r.operation))
        )
          await new Promise((resolve) => setTimeout(resolve, 2));
        const wentDown = !state.exited;
        const started = performance.now();
        control.setFaults(down(outage));
        const result = await child;
        const seconds = (performance.now() - started) / 1000;
        control.setFaults([]);
        const stderr = String(result.stderr);
        const problems: string[] = [];
        if (!wentDown) problems.push("the run ended before the outage began");
        if (result.timedOut) problems.push("no end after 300 s: the run hangs on a failing service");
        else if (result.exitCode !== 1)
          problems.push(`exit ${result.exitCode} (want 1): ${stderr.trim().split("\n").slice(-2).join(" | ")}`);
        const message = stderr.trim().split("\n").at(-1) ?? "";
        if (!oneLine(stderr) || !message.startsWith("glacier: ") || /^glacier: (info|warning):/.test(message))
          problems.push(`no clear last line, or a stack trace: ${stderr.slice(0, 300)}`);
        const rest = await migrateUntilDone(mw.world, { extra: EXTRA });
        if (!rest.done) problems.push(`the rerun did not finish: ${rest.runs.at(-1)?.stderr.trim()}`);
        const verified = await finishAndCheck(mw, problems);
        record(section, "exit code", result.exitCode ?? "none");
        record(section, "seconds from the outage to the end", seconds.toFixed(1));
        record(section, "message", message.replace(/\/tmp\/[^ ]*/g, "DIR"));
        record(section, "reruns once back (exit codes)", rest.runs.map((r) => r.exitCode).join(", "));
        record(section, "bytes verified in S3", verified);
        expect(check(section, problems)).toEqual([]);
      } finally {
        await mw.world.close();
      }
    });
  }
});
