// The folders of one restored file, created one level at a time below the restore DIR. "Nothing is
// ever written outside DIR": a folder inside DIR that is a symbolic link (planted, or left by an
// earlier tree) would carry the file out of DIR, since mkdir and the final rename follow it; DIR
// itself may be a link. A plain file where a folder is needed (archives named `a` and `a/b`) is a
// one-line failure of that file alone, and the rest of the restore goes on (docs/restore.md).
import { lstat, mkdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { ConsoleError, FileError, describeSystemError } from "../../core/errors.ts";

export async function prepareFolders(root: string, target: string): Promise<void> {
  await mkdir(root, { recursive: true }).catch((error: unknown) => {
    throw new FileError(root, describeSystemError(error), { cause: error });
  });
  const segments = relative(root, target).split(sep).slice(0, -1);
  let path = root;
  for (const segment of segments) {
    path = join(path, segment);
    let info = await entry(path);
    if (info === undefined) {
      // EEXIST: another process made it meanwhile; it is looked at again below.
      await mkdir(path).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST")
          throw new FileError(path, describeSystemError(error), { cause: error });
      });
      info = await entry(path);
    }
    if (info?.isSymbolicLink())
      throw new ConsoleError(`not restored: ${path} is a symbolic link, and following it could write outside ${root}`);
    if (!info?.isDirectory()) throw new ConsoleError(`not restored: ${path} is a file where a folder is needed`);
  }
}

async function entry(path: string) {
  return lstat(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new FileError(path, describeSystemError(error), { cause: error });
  });
}
