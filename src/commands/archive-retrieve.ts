// `glacier archive retrieve [--wait] [-o FILE] [--multipart-size N] [--tier T] VAULT NAME...`
// (docs/compatibility.md#commands, docs/compatibility.md#jobs): for each name, use a finished retrieval job, or
// report it pending, or start one; downloads are verified range by range and as a whole (glacier-cli checked
// nothing). If any name is pending: exit 75 with `retrieved archive 'N'` lines for the ones done, then one line per
// pending name, exactly as glacier-cli's RetryConsoleError.
import { basename, resolve } from "node:path";
import { ConsoleError, PendingError, UsageError } from "../core/errors.ts";
import { downloadChunkFlag } from "./shared/size-flags.ts";
import { pyRepr } from "../core/py-repr.ts";
import type { JobDescription, Tier } from "../core/types.ts";
import { assertVaultName } from "../core/vault-name.ts";
import { downloadArchive, unverifiedNotice } from "../glacier/download.ts";
import type { Deps } from "./deps.ts";
import { progressReporter } from "../platform/progress.ts";
import { expectedReady } from "./shared/job-eta.ts";
import { obtainJob } from "./shared/job-runner.ts";
import { resolveArchive } from "./shared/resolve.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface ArchiveRetrieveOptions {
  vault: string;
  refs: string[];
  output?: string;
  wait: boolean;
  chunkSize?: number;
  tier?: Tier;
}

const TIERS: readonly Tier[] = ["Expedited", "Standard", "Bulk"];

export function parse(raw: Invocation<typeof specs.archiveRetrieve>): ArchiveRetrieveOptions {
  const vault = raw.args[0];
  assertVaultName(vault);
  const refs = [...raw.args[1]];
  const options: ArchiveRetrieveOptions = { vault, refs, wait: raw.flags.wait };
  if (raw.flags.output !== undefined) options.output = raw.flags.output;
  const chunkSize = downloadChunkFlag(raw.flags.multipartSize);
  if (chunkSize !== undefined) options.chunkSize = chunkSize;
  if (raw.flags.tier !== undefined) options.tier = parseTier(raw.flags.tier);
  return options;
}

export function parseTier(text: string): Tier {
  const tier = TIERS.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!tier) throw new UsageError(`--tier: expected Expedited, Standard or Bulk, got ${JSON.stringify(text)}`);
  return tier;
}

export async function run(options: ArchiveRetrieveOptions, deps: Deps): Promise<void> {
  // docs/compatibility.md#commands: "Using -o with more than one NAME gives ConsoleError".
  if (options.output !== undefined && options.refs.length > 1)
    throw new ConsoleError("cannot specify output filename with multi-archive retrieval");
  // Without -o the file is named after the archive, in the current folder: a name whose last
  // segment is "..", "." or empty names a folder, and its temporary file would land above it.
  if (options.output === undefined) {
    for (const ref of options.refs) {
      const name = basename(ref);
      if (name === "" || name === "." || name === "..") {
        throw new ConsoleError(
          `archive ${pyRepr(ref)} has no usable file name (${JSON.stringify(name)}); give one with -o FILE`,
        );
      }
    }
  }
  const cache = await deps.cache();
  const retrieved: string[] = [];
  const pending: string[] = [];
  let jobs: JobDescription[] | undefined;
  for (const ref of options.refs) {
    // Resolved before any request: an unknown name costs no API call (docs/compatibility.md#commands).
    const archive = await resolveArchive(cache, options.vault, ref);
    const glacier = await deps.glacier();
    jobs ??= await glacier.listJobs(options.vault);
    const target = { kind: "archive" as const, archiveId: archive.id, label: ref };
    const outcome = await obtainJob(deps, glacier, options.vault, target, {
      wait: options.wait,
      jobs,
      ...(options.tier ? { tier: options.tier } : {}),
    });
    if (!outcome.ready) {
      pending.push(outcome.message);
      // A restore says when it should be ready (docs/backends.md#restores); a vault job does not.
      const eta = expectedReady([archive.id], outcome.jobs ?? []);
      if (outcome.jobs?.some((job) => job.expectedCompletionDate !== undefined) && eta !== undefined)
        deps.output.info(`${pyRepr(ref)}: restore expected ready by ${eta}; run the same command again then`);
      continue;
    }
    const progress = progressReporter(deps.output, `retrieving ${ref}`);
    const result = await downloadArchive({
      port: glacier,
      job: outcome.job,
      clock: deps.clock,
      known: { size: archive.size, treeHash: archive.treeHash, source: "the archive cache" },
      target:
        options.output === "-"
          ? { stream: deps.output.stdout, name: "standard output" }
          : { path: resolve(deps.cwd, options.output ?? basename(ref)) },
      onProgress: progress.update,
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    }).finally(progress.done);
    if (!result.verified) deps.output.warn(unverifiedNotice(ref));
    retrieved.push(`retrieved archive ${pyRepr(ref)}`);
  }
  if (pending.length > 0) throw new PendingError([...retrieved, ...pending].join("\n"));
}
