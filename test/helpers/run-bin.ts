// Runs the built programs (dist/ via bin/) as a user would, capturing bytes and the exit code.
import { execa, type Options } from "execa";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = {
  glacier: `${ROOT}bin/glacier.js`,
} as const;

export interface BinResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The raw stdout, when run with { encoding: "buffer" }. */
  stdoutBytes?: Buffer;
}

export async function runGlacier(args: readonly string[], options: Options = {}): Promise<BinResult> {
  const result = await execa(process.execPath, [BIN.glacier, ...args], {
    reject: false,
    stripFinalNewline: false,
    ...options,
  });
  if (result.stdout instanceof Uint8Array) {
    const bytes = Buffer.from(result.stdout);
    return {
      exitCode: result.exitCode ?? -1,
      stdout: "",
      stderr: Buffer.from(result.stderr as Uint8Array).toString(),
      stdoutBytes: bytes,
    };
  }
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * The environment a user would set to point the CLI at a test emulator: endpoint through
 * AWS_ENDPOINT_URL_GLACIER (what git-annex can pass on), dummy credentials, and a private HOME (so
 * its cache) so that nothing on the machine is read or written.
 */
export function userEnv(home: string, endpoint: string): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    AWS_ENDPOINT_URL_GLACIER: endpoint,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "example-secret-for-tests",
    AWS_REGION: "us-east-1",
  };
}
