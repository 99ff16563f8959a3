// git and git-annex run as child programs, in a repository the user named (the current folder):
// the one way our commands read and write a git-annex repository's records
// (docs/migrate.md#git-annex-repositories). Output is text; a failure is one line naming the command.
// node:child_process rather than execa: execa is a test tool here, not shipped with the program.
import { spawn } from "node:child_process";
import { ConsoleError, describeSystemError } from "../core/errors.ts";

/** Runs `git ARGS` in `cwd` and returns its stdout; `input` is written to its stdin. */
export function git(cwd: string, args: readonly string[], input?: string): Promise<string> {
  const command = `git ${args.slice(0, 2).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      out.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err.push(chunk);
    });
    child.on("error", (error) => {
      reject(new ConsoleError(`${command}: ${describeSystemError(error)}`));
    });
    child.on("close", (code) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString("utf8"));
        return;
      }
      const detail = Buffer.concat(err).toString("utf8").trim().split("\n").at(-1) ?? "";
      reject(new ConsoleError(`${command} failed (exit ${code ?? "signal"}): ${detail}`));
    });
    if (child.stdin) {
      // A git that exits before reading everything closes the pipe: its exit code tells.
      child.stdin.on("error", () => undefined);
      child.stdin.end(input);
    }
  });
}
