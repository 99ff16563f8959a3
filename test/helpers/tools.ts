// The independent clients the emulator is checked against, found as a fresh Debian machine has them
// (`apt-get install awscli python3-boto3`, as .ci/run does): the first `python3` that can import
// boto3 and the first `aws`, on PATH and then in /usr/bin. A PATH may start with another Python
// (pyenv, a virtualenv) that lacks boto3; the Debian one is the one the package installed into.
import { execa } from "execa";

async function works(command: string, args: readonly string[]): Promise<boolean> {
  const result = await execa(command, args, { reject: false, timeout: 60_000 });
  return result.exitCode === 0;
}

async function first(candidates: readonly string[], probe: readonly string[], what: string): Promise<string> {
  for (const candidate of candidates) if (await works(candidate, probe)) return candidate;
  throw new Error(
    `${what} not found (tried ${candidates.join(", ")}); install it: apt-get install ` +
      (what === "aws" ? "awscli" : "python3-boto3"),
  );
}

/** A python3 that imports boto3. */
export function pythonWithBoto3(): Promise<string> {
  return first(["python3", "/usr/bin/python3"], ["-c", "import boto3"], "python3 with boto3");
}

/** The AWS CLI. */
export function awsCli(): Promise<string> {
  return first(["aws", "/usr/bin/aws"], ["--version"], "aws");
}
