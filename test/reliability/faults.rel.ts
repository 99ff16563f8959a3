// The emulator injects faults of every kind into about 10% of requests (more on
// transfers: each request draws every rule that matches it); `archive multi-upload` and `vault
// restore` of 100 files, some multipart, still end with exit 0 and every restored byte identical.
// With every request faulted the run ends, exit 1, one clear line, after bounded retries.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FaultSpec } from "../../src/emulator/index.ts";
import { everyRequest, faultCounts, oneLine, tenPercent } from "./fault-specs.ts";
import { check, record } from "./ledger.ts";
import { MiB, compareTree, listFiles, writeTree, type TreeSpec } from "./tree.ts";
import { vaultProblems } from "./vault-check.ts";
import { makeWorld } from "./world.ts";

const SOAK = process.env["RELIABILITY_SOAK"] === "1";
const PART = ["--part-size", "1048576", "--multipart-size", "1048576"];
const UPLOAD_PART = ["--part-size", "1048576"];
const SPEC: TreeSpec = { small: 96, large: [3 * MiB + 5, 2 * MiB + 11, 1 * MiB + 100_000, 4 * MiB], seed: 42 };
describe("10% faults of every kind", () => {
  it(
    "multi-upload and restore of 100 files (4 multipart) exit 0 with every byte identical and nothing corrupt " +
      "under a final name",
    async () => {
      const rounds = SOAK ? 5 : 1;
      for (let round = 0; round < rounds; round++) {
        const world = await makeWorld({ seed: 100 + round });
        try {
          const src = join(world.dir, "tree");
          const files = await writeTree(src, { ...SPEC, seed: SPEC.seed + round });
          expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
          world.emulator.control.setFaults(tenPercent());
          const up = await world.glacier(["archive", "multi-upload", ...UPLOAD_PART, "v", src]);
          const upLog = world.emulator.control.requestLog();
          const target = join(world.dir, "restored");
          const restore = await world.glacier(["vault", "restore", "--wait", ...PART.slice(2), "v", target]);
          const log = world.emulator.control.requestLog();
          world.emulator.control.setFaults([]);
          await world.emulator.control.generateInventory("v");
          const sync = await world.glacier(["vault", "sync", "--wait", "v"]);
          const tree = await compareTree(target, files, true);
          const problems = [
            ...(up.exitCode !== 0
              ? [`multi-upload exit ${up.exitCode}: ${up.stderr.trim().split("\n").slice(-3).join(" | ")}`]
              : []),
            ...(restore.exitCode !== 0
              ? [`restore exit ${restore.exitCode}: ${restore.stderr.trim().split("\n").slice(-3).join(" | ")}`]
              : []),
            ...(sync.exitCode !== 0 ? [`sync exit ${sync.exitCode}: ${sync.stderr.trim()}`] : []),
            ...tree.problems,
            ...(await vaultProblems(world, "v", files.keys())),
          ];
          const leftovers = (await listFiles(target)).filter((n) => !files.has(n));
          if (leftovers.length > 0) problems.push(`left in the restore folder: ${leftovers.join(", ")}`);
          const section = "faults: 10%";
          record(
            section,
            `round ${round}: requests (upload / restore)`,
            `${upLog.length} / ${log.length - upLog.length}`,
          );
          for (const [kind, n] of [...faultCounts(log)].sort())
            record(section, `round ${round}: faults injected: ${kind}`, n);
          record(section, `round ${round}: exit codes (upload, restore)`, `${up.exitCode}, ${restore.exitCode}`);
          record(section, `round ${round}: bytes verified identical`, tree.bytes);
          expect(
            check(
              section,
              problems.map((p) => `round ${round}: ${p}`),
            ),
          ).toEqual([]);
        } finally {
          await world.close();
        }
      }
    },
  );
});

/** Every download faulted: throttling, 503, resets before and in the body, truncation, a flipped byte. */
function everyDownload(): FaultSpec[] {
  const operation = "GetJobOutput";
  return [
    { kind: "throttle", operation, probability: 0.2 },
    { kind: "503", operation, probability: 0.25 },
    { kind: "reset", operation, probability: 0.2 },
    { kind: "reset-body", operation, probability: 0.33 },
    { kind: "truncate", operation, probability: 0.5 },
    { kind: "corrupt", operation },
  ];
}

describe("100% faults", () => {
  for (const phase of ["multi-upload", "restore (every request)", "restore (every download)"] as const) {
    it(`${phase}: ends with exit 1 and one clear line, after bounded retries`, async () => {
      const world = await makeWorld({ seed: 7, jobDelays: { Standard: 3600 } });
      try {
        const src = join(world.dir, "tree");
        // Eleven files: more than the failures in a row after which the rest are not tried.
        const files = await writeTree(src, { small: 10, large: [2 * MiB + 3], seed: 9 });
        expect((await world.glacier(["vault", "create", "v"])).exitCode).toBe(0);
        const target = join(world.dir, "restored");
        if (phase !== "multi-upload") {
          expect((await world.glacier(["archive", "multi-upload", ...UPLOAD_PART, "v", src])).exitCode).toBe(0);
          if (phase === "restore (every download)") {
            // Jobs started and finished without faults, so that only the downloads fail.
            expect((await world.glacier(["vault", "restore", "v", target])).exitCode).toBe(75);
            await world.emulator.control.advanceClock(3600);
          }
        }
        const faultsFrom = world.emulator.control.requestLog().length;
        world.emulator.control.setFaults(phase === "restore (every download)" ? everyDownload() : everyRequest());
        const args =
          phase === "multi-upload"
            ? ["archive", "multi-upload", ...UPLOAD_PART, "v", src]
            : ["vault", "restore", "--wait", ...PART.slice(2), "v", target];
        const started = performance.now();
        const result = await world.glacier(args, { timeoutMs: 300_000 });
        const seconds = (performance.now() - started) / 1000;
        const log = world.emulator.control.requestLog();
        const problems: string[] = [];
        if (result.exitCode !== 1)
          problems.push(`exit ${result.exitCode} (want 1): ${result.stderr.trim().split("\n").slice(-2).join(" | ")}`);
        if (!oneLine(result.stderr))
          problems.push(`no clear message, or a stack trace: ${result.stderr.slice(0, 300)}`);
        const finals = (await listFiles(target)).filter((n) => !/glacier-partial/.test(n));
        if (finals.length > 0) problems.push(`files under a final name after a failed restore: ${finals.join(", ")}`);
        // Bounded by the files too: after a few failures in a row the rest are not tried.
        const givingUp =
          /^glacier: giving up: \d+ (files|archives) in a row failed against Glacier; \d+ more not tried; .*$/m;
        if (phase !== "restore (every request)" && !givingUp.test(result.stderr))
          problems.push("no 'giving up' line: every file was tried against a failing Glacier");
        const section = `faults: 100% ${phase}`;
        record(section, "exit code", result.exitCode);
        record(section, "seconds until it gave up", seconds.toFixed(1));
        const faulted = log.slice(faultsFrom);
        record(
          section,
          "requests sent / faulted",
          `${faulted.length} / ${faulted.filter((r) => r.faults.length > 0 || r.operation === "_emulator").length}`,
        );
        for (const [kind, n] of [...faultCounts(faulted)].sort()) record(section, `faults injected: ${kind}`, n);
        record(
          section,
          "message",
          ((result.stderr.match(givingUp) ?? [])[0] ?? result.stderr.trim().split("\n").at(-1) ?? "").replace(
            /\/tmp\/[^ ]*/g,
            "DIR",
          ),
        );
        expect(files.size).toBeGreaterThan(0);
        expect(check(section, problems)).toEqual([]);
      } finally {
        await world.close();
      }
    });
  }
  it("restore with every download corrupted: exit 1 and no file under a final name", async () => {
    const world = await makeWorld();
    try {
      const src = join(world.dir, "tree");
      await writeTree(src, { small: 3, large: [2 * MiB + 3], seed: 11 });
      await world.glacier(["vault", "create", "v"]);
      expect((await world.glacier(["archive", "multi-upload", ...UPLOAD_PART, "v", src])).exitCode).toBe(0);
      world.emulator.control.setFaults("corrupt,op=GetJobOutput");
      const target = join(world.dir, "restored");
      const result = await world.glacier(["vault", "restore", "--wait", "v", target]);
      const finals = (await listFiles(target)).filter((n) => !/glacier-partial/.test(n));
      const section = "faults: 100% corrupt output";
      record(section, "exit code / files under a final name", `${result.exitCode} / ${finals.length}`);
      record(section, "corrupted responses", faultCounts(world.emulator.control.requestLog()).get("corrupt") ?? 0);
      const problems = [
        ...(result.exitCode !== 1 ? [`exit ${result.exitCode}`] : []),
        ...finals.map((n) => `${n} written under its final name from corrupted bytes`),
        ...(/\n\s+at /.test(result.stderr) ? ["stack trace"] : []),
      ];
      expect(check(section, problems)).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
