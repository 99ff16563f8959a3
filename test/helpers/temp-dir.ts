import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A fresh temporary folder, removed once the current test finished (pass or fail). Called from a
 * test body: vitest ignores an afterEach registered there, onTestFinished is the hook that runs.
 * Cleanups run in reverse order of registration, so anything a test starts later in the folder
 * (servers, daemons) is stopped before the folder goes.
 */
export async function tempDir(prefix = "glacier-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
