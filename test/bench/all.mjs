// `npm run bench`: every benchmark in turn, each to the end even when an earlier one missed a target
// (an && chain stopped at the first MISS), then one line per benchmark and exit 1 if any missed.
import { spawnSync } from "node:child_process";

const names = [
  "treehash",
  "cache",
  "annex",
  "annex-s3",
  "upload",
  "s3upload",
  "startup",
  "reconcile",
  "emulator",
  "restore",
  "migrate-plan",
  "migrate",
];
const outcomes = names.map((name) => {
  const run = spawnSync("npm", ["run", "--silent", `bench:${name}`], { stdio: "inherit" });
  return { name, ok: run.status === 0 };
});
console.log("\nsummary:");
for (const { name, ok } of outcomes) console.log(`${ok ? "all PASS" : "some MISS"}  bench:${name}`);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
