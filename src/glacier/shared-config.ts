// Reading the AWS shared config file (for the region of a profile). A missing file is the usual case
// and means "no settings"; a file that exists but cannot be read (no permission, a folder at that
// path) is reported in one line, never silently replaced by defaults that would send requests to
// another region than the user configured.
import { readFile } from "node:fs/promises";
import { FileError, describeSystemError } from "../core/errors.ts";
import { sharedConfigPath } from "./settings.ts";

export async function readSharedConfig(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const path = sharedConfigPath(env);
  if (path === undefined) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new FileError(path, `cannot read the AWS config file: ${describeSystemError(error)}`, { cause: error });
  }
}
