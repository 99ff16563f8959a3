// git-annex encrypts with gpg (encryption=shared and the others), and gpg starts a gpg-agent daemon
// for its home folder that outlives the test. Each test world gets a private GNUPGHOME, and the
// agents started for it are stopped when the test finishes.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { onTestFinished } from "vitest";

/** Stops every daemon gpg started for `gnupgHome` (none: nothing happens). */
export async function stopGpgDaemons(gnupgHome: string): Promise<void> {
  await execa("gpgconf", ["--kill", "all"], { env: { GNUPGHOME: gnupgHome }, reject: false, timeout: 30_000 });
}

/** A private GNUPGHOME under `root`; its daemons are stopped once the current test finished. */
export async function privateGnupgHome(root: string): Promise<string> {
  const dir = join(root, "gnupg");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  onTestFinished(() => stopGpgDaemons(dir));
  return dir;
}
