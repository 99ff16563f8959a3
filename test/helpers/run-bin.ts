// Runs the built programs (dist/ via bin/) as a user would, capturing bytes and the exit code.
import { execa, type Options } from "execa";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = {
  glacier: `${ROOT}bin/glacier.js`,
} as const;

export interface BinResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runGlacier(args: readonly string[], options: Options = {}): Promise<BinResult> {
  const result = await execa(process.execPath, [BIN.glacier, ...args], { reject: false, stripFinalNewline: false, ...options });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
