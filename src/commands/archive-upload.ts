// `glacier archive upload [--name NAME] [--part-size N] [--concurrency N] VAULT FILE`
// (docs/compatibility.md#commands): FILE or `-` for stdin; the name defaults to the file's basename (`<stdin>`
// for stdin, as glacier-cli's test asserts); prints nothing; the archive is recorded in the cache.
import { basename } from "node:path";
import { FileError, UsageError } from "../core/errors.ts";
import { partSizeFlag } from "./shared/size-flags.ts";
import { descriptionForName } from "../core/names.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { resumedUploadMessage } from "../core/resume-message.ts";
import { uploadArchive } from "../glacier/upload.ts";
import { CacheUploadJournal } from "../services/cache-upload-journal.ts";
import type { Deps } from "./deps.ts";
import { progressReporter } from "../platform/progress.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface ArchiveUploadOptions {
  vault: string;
  file: string;
  name: string;
  partSize?: number;
  concurrency: number;
}

export function parse(raw: Invocation<typeof specs.archiveUpload>): ArchiveUploadOptions {
  const vault = raw.args[0];
  const file = raw.args[1];
  assertVaultName(vault);
  const name = raw.flags.name ?? (file === "-" ? "<stdin>" : basename(file));
  const options: ArchiveUploadOptions = {
    vault,
    file,
    name,
    concurrency: positiveInt(raw.flags.concurrency, "--concurrency", 4),
  };
  const partSize = partSizeFlag(raw.flags.partSize);
  if (partSize !== undefined) options.partSize = partSize;
  return options;
}

export async function run(options: ArchiveUploadOptions, deps: Deps): Promise<void> {
  const description = descriptionForName(options.name);
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  const journal = new CacheUploadJournal(cache, options.name);
  const progress = progressReporter(deps.output, `uploading ${options.name}`);
  const source =
    options.file === "-"
      ? { stream: deps.stdin, name: "<stdin>" }
      : { path: options.file.startsWith("/") ? options.file : `${deps.cwd}/${options.file}` };
  const result = await uploadArchive({
    port: glacier,
    vault: options.vault,
    description,
    source,
    concurrency: options.concurrency,
    journal,
    ...(source.path !== undefined ? { partHasher: deps.hashPool() } : {}),
    onProgress: progress.update,
    onResume: (resumed) => {
      deps.output.info(resumedUploadMessage(options.name, resumed));
    },
    ...(options.partSize ? { partSize: options.partSize } : {}),
  })
    .catch((error: unknown) => {
      // Name the file as the user typed it, as sha256sum and cp do.
      if (error instanceof FileError && options.file !== "-")
        throw new FileError(options.file, error.reason, { cause: error });
      throw error;
    })
    .finally(progress.done);
  if (!journal.recorded.has(result.archiveId)) {
    await cache.recordUpload(options.vault, {
      id: result.archiveId,
      name: options.name,
      treeHash: result.treeHash,
      size: result.size,
    });
  }
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`${flag}: expected a whole number from 1 to 64, got ${JSON.stringify(value)}`);
  return n;
}
