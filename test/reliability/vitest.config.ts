// `npm run test:reliability`: the reliability and security harness, apart from `npm test`
// for time. Tests append figures to a ledger file; summary-reporter.ts prints them as one table and
// fails the run on any violation. RELIABILITY_SOAK=1 runs many more trials.
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Only a name: loading this file (vitest, knip) creates nothing; the first appended row creates it.
process.env["RELIABILITY_LEDGER"] ??= join(tmpdir(), `glacier-reliability-${randomBytes(6).toString("hex")}.jsonl`);

export default defineConfig({
  test: {
    include: ["test/reliability/*.rel.ts"],
    // Each file starts many processes; one file at a time keeps the 2-core machine responsive.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/reliability/summary-reporter.ts"],
    // The SDK's note that its 2027 releases need Node 22 is for maintainers, not test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
