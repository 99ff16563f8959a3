// The harness's ledger: every test appends figures and violations as JSON lines to one file (its
// path comes from vitest.config.ts through RELIABILITY_LEDGER), and summary-reporter.ts prints them
// as one table at the end. A violation is also a failed assertion in the test that found it; the
// ledger makes it visible in the table and turns the run's exit code non-zero on its own.
import { appendFileSync } from "node:fs";

export interface LedgerRow {
  /** Which guarantee of the README's Reliability section: "crash", "faults", "concurrency", "hostile", "secrets". */
  section: string;
  /** What was measured: "trials", "faults injected: reset-upload", "bytes verified", ... */
  metric: string;
  value: number | string;
  /** A guarantee broken: the reporter fails the run. */
  violation?: boolean;
}

function ledgerPath(): string {
  const path = process.env["RELIABILITY_LEDGER"];
  if (!path) throw new Error("RELIABILITY_LEDGER is not set: run through npm run test:reliability");
  return path;
}

export function record(section: string, metric: string, value: number | string): void {
  appendFileSync(ledgerPath(), `${JSON.stringify({ section, metric, value } satisfies LedgerRow)}\n`);
}

export function violation(section: string, what: string): void {
  appendFileSync(
    ledgerPath(),
    `${JSON.stringify({ section, metric: what, value: "VIOLATION", violation: true } satisfies LedgerRow)}\n`,
  );
}

/** Records violations for each failed check and returns them, so the test can assert none. */
export function check(section: string, problems: readonly string[]): readonly string[] {
  for (const p of problems) violation(section, p);
  return problems;
}
