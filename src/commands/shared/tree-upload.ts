// Uploads a list of local files as archives: files sent concurrently through one
// pool of request slots, each recorded in the cache the moment its upload completes, a file that
// changed while it was read retried later in the run, every other failure reported while the rest
// go on. The hash recorded is always the one computed from the bytes that were sent.
import { FileChangedError, FileError, GlacierCliError, ServiceError, VaultNotFoundError } from "../../core/errors.ts";
import { DEFAULT_PART_SIZE, choosePartSize } from "../../core/multipart.ts";
import { BufferPool } from "../../glacier/buffer-pool.ts";
import { descriptionForName } from "../../core/names.ts";
import { resumedUploadMessage } from "../../core/resume-message.ts";
import type { CachedArchive } from "../../core/types.ts";
import { uploadArchive } from "../../glacier/upload.ts";
import { CacheUploadJournal } from "../../services/cache-upload-journal.ts";
import type { Deps } from "../deps.ts";
import { progressReporter } from "../../platform/progress.ts";
import { withTextPath } from "../../platform/byte-path.ts";
import { Slots } from "./slots.ts";

export interface FileToUpload {
  name: string;
  path: string;
  /** The path as bytes when the name is not UTF-8 (platform/byte-path.ts). */
  fsPath?: Buffer;
  size: number;
}

export interface TreeUploadOptions {
  vault: string;
  concurrency: number;
  partSize?: number;
  /** Emit NDJSON events on stdout instead of info lines. */
  json: boolean;
  /** How many more times a file that changed during its upload is tried (default 2). */
  changedRetries?: number;
  /** Called after a file's archive is recorded (reconcile deletes the replaced archive then). */
  onUploaded?: (file: FileToUpload, archive: CachedArchive) => Promise<void>;
}

export interface TreeUploadResult {
  uploaded: number;
  bytes: number;
  failed: { file: FileToUpload; message: string }[];
}

/** Files failed in a row on service errors (after their own retries) before the rest are skipped. */
export const OUTAGE_AFTER = 5;

export async function uploadFiles(
  deps: Deps,
  files: readonly FileToUpload[],
  options: TreeUploadOptions,
): Promise<TreeUploadResult> {
  const [glacier, cache] = await Promise.all([deps.glacier(), deps.cache()]);
  const slots = new Slots(options.concurrency);
  const scratch = new BufferPool(options.concurrency, options.partSize ?? DEFAULT_PART_SIZE);
  const result: TreeUploadResult = { uploaded: 0, bytes: 0, failed: [] };
  const total = files.reduce((sum, f) => sum + f.size, 0);
  // On a terminal one redrawn line (bytes, rate, ETA, files); otherwise one info line per file.
  const progress = progressReporter(deps.output, "uploading");
  const inFlight = new Map<FileToUpload, number>();
  const showProgress = () => {
    let bytes = result.bytes;
    for (const sent of inFlight.values()) bytes += sent;
    progress.update(bytes, total, `${result.uploaded}/${files.length} files`);
  };
  // Files are tried one after another once each exhausted its retries: against a Glacier that fails
  // everything, a tree of thousands of files would take hours to fail. After OUTAGE_AFTER files in a
  // row failed on service errors, the rest are not tried (README.md "Reliability": bounded when every request fails).
  let serviceFailuresInARow = 0;
  let notTried = 0;
  // A missing vault fails every file the same way: the first such failure ends the run in one line.
  let vaultMissing: ServiceError | undefined;
  let round = [...files];
  for (let attempt = 0; round.length > 0; attempt++) {
    const changed: FileToUpload[] = [];
    await Promise.all(
      round.map((file) => {
        const multipart = file.size > choosePartSize(file.size, options.partSize);
        return slots.use(multipart ? options.concurrency : 1, async () => {
          if (vaultMissing) return;
          if (serviceFailuresInARow >= OUTAGE_AFTER) {
            notTried++;
            result.failed.push({ file, message: "not tried: Glacier failed the files before it" });
            return;
          }
          try {
            const archive = await uploadOne(file, (sent) => {
              inFlight.set(file, sent);
              showProgress();
            });
            inFlight.delete(file);
            result.uploaded++;
            serviceFailuresInARow = 0;
            result.bytes += file.size;
            showProgress();
            const line =
              `uploaded archive ${file.name} (${result.uploaded}/${files.length} files, ${mib(result.bytes)} ` +
              `of ${mib(total)})`;
            await report(
              deps,
              options,
              { event: "uploaded", name: file.name, id: archive.id, size: archive.size, treeHash: archive.treeHash },
              deps.output.interactive ? undefined : line,
            );
            await options.onUploaded?.(file, archive);
          } catch (error) {
            inFlight.delete(file);
            if (!(error instanceof GlacierCliError)) throw error;
            if (error instanceof VaultNotFoundError) {
              vaultMissing ??= error;
              return;
            }
            if (error instanceof FileChangedError && attempt < (options.changedRetries ?? 2)) {
              deps.output.warn(`${file.path}: changed while it was uploaded; trying again later in this run`);
              changed.push(file);
              return;
            }
            result.failed.push({ file, message: error.message });
            serviceFailuresInARow = error instanceof ServiceError ? serviceFailuresInARow + 1 : 0;
            deps.output.error(
              error instanceof FileError ? `${file.path}: ${error.reason}` : `${file.name}: ${error.message}`,
            );
          }
        });
      }),
    );
    round = changed;
  }
  progress.done();
  if (vaultMissing) {
    throw new ServiceError(
      `${vaultMissing.message}; ` +
        `${result.uploaded === 0 ? "nothing uploaded" : `the other files not uploaded`}: create it with ` +
        `'glacier vault create ${options.vault}' or check --region`,
      vaultMissing.code,
      { cause: vaultMissing },
    );
  }
  if (notTried > 0)
    deps.output.error(
      `giving up: ${OUTAGE_AFTER} files in a row failed against Glacier; ${notTried} more not tried; run the ` +
        `same command with --resume later`,
    );
  return result;

  async function uploadOne(file: FileToUpload, onProgress: (bytes: number) => void): Promise<CachedArchive> {
    const journal = new CacheUploadJournal(cache, file.name);
    const uploaded = await withTextPath(file.path, file.fsPath, (path) =>
      uploadArchive({
        port: glacier,
        vault: options.vault,
        description: descriptionForName(file.name),
        source: { path },
        concurrency: options.concurrency,
        journal,
        onProgress,
        onResume: (resumed) => {
          deps.output.info(resumedUploadMessage(file.name, resumed));
        },
        scratch,
        ...(options.partSize ? { partSize: options.partSize } : {}),
      }),
    );
    if (journal.recorded.has(uploaded.archiveId)) {
      const row = await cache.get(options.vault, uploaded.archiveId);
      if (row) return row;
    }
    return cache.recordUpload(options.vault, {
      id: uploaded.archiveId,
      name: file.name,
      treeHash: uploaded.treeHash,
      size: uploaded.size,
    });
  }
}

async function report(
  deps: Deps,
  options: TreeUploadOptions,
  event: Record<string, unknown>,
  line: string | undefined,
): Promise<void> {
  if (options.json) await deps.output.data(`${JSON.stringify(event)}\n`);
  else if (line !== undefined) deps.output.info(line);
}

export const mib = (bytes: number) => (bytes < 1048576 ? `${bytes} bytes` : `${(bytes / 1048576).toFixed(1)} MiB`);
