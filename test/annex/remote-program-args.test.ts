// `git-annex-remote-glacier` run by hand: --help and --version answer on stdout and exit 0 instead
// of starting the protocol (which would print VERSION 1 and wait on stdin); anything else is a usage error.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";

const program = `${ROOT}bin/git-annex-remote-glacier.js`;
const run = (args: string[]) =>
  execa(process.execPath, [program, ...args], { reject: false, stdin: "ignore", timeout: 20_000 });

describe("git-annex-remote-glacier run by hand", () => {
  it("prints usage for --help and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: git-annex-remote-glacier \[--help \| --version\]/);
    expect(result.stdout).toContain("git annex initremote NAME type=external externaltype=glacier");
    expect(result.stdout).not.toContain("VERSION 1");
    expect(result.stderr).toBe("");
  });

  it("prints its version for --version and exits 0", async () => {
    const result = await run(["--version"]);
    expect(result).toMatchObject({ exitCode: 0, stdout: "git-annex-remote-glacier 0.1.0", stderr: "" });
  });

  it("rejects an unknown argument with one line and the usage, exit 2", async () => {
    const result = await run(["--frobnicate"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(
      'git-annex-remote-glacier: unknown argument "--frobnicate"; see git-annex-remote-glacier --help',
    );
  });
});
