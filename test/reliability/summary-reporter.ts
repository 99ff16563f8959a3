// Prints the harness's ledger as one table when the run ends, and fails the run (exit code 1) on
// any violation recorded or any failed test, even if a test forgot to assert.
import { readFileSync, rmSync } from "node:fs";
import { basename } from "node:path";
import type { Reporter } from "vitest/reporters";
import type { LedgerRow } from "./ledger.ts";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly { ok(): boolean }[]): void {
    const path = process.env["RELIABILITY_LEDGER"]!;
    let rows: LedgerRow[];
    try {
      rows = readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as LedgerRow);
    } catch {
      rows = [];
    }
    // The ledger vitest.config.ts named for this run: a run leaves the temporary folder as it found it.
    if (basename(path).startsWith("glacier-reliability-")) rmSync(path, { force: true });
    const violations = rows.filter((r) => r.violation);
    const failed = testModules.filter((m) => !m.ok()).length;
    const width = Math.max(20, ...rows.map((r) => r.section.length));
    const metricWidth = Math.max(30, ...rows.filter((r) => !r.violation).map((r) => r.metric.length));
    const lines = [
      "",
      "Reliability and security summary",
      `${"section".padEnd(width)}  ${"measure".padEnd(metricWidth)}  value`,
      "-".repeat(width + metricWidth + 16),
    ];
    for (const r of rows.filter((row) => !row.violation))
      lines.push(`${r.section.padEnd(width)}  ${r.metric.padEnd(metricWidth)}  ${r.value}`);
    lines.push("-".repeat(width + metricWidth + 16));
    for (const v of violations) lines.push(`VIOLATION  ${v.section}: ${v.metric}`);
    lines.push(
      violations.length === 0 && failed === 0
        ? "RESULT: PASS (no violation)"
        : `RESULT: FAIL (${violations.length} violations, ${failed} failed test files)`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    if (violations.length > 0 || failed > 0) process.exitCode = 1;
  }
}
