// `glacier treehash [--json] FILE...`: SHA-256 tree hashes, printed like sha256sum.
import type { Readable } from "node:stream";
import { ExitCode, FileError, defined } from "../core/errors.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import type { Deps } from "./deps.ts";
import type { specs } from "./specs.ts";
import type { Invocation } from "./types.ts";

export interface TreehashOptions {
  files: string[];
  json: boolean;
}

export function parse(raw: Invocation<typeof specs.treehash>): TreehashOptions {
  return { files: [...raw.args[0]], json: raw.flags.json };
}

export async function run(options: TreehashOptions, deps: Deps): Promise<ExitCode> {
  const path = (file: string) => (file.startsWith("/") ? file : `${deps.cwd}/${file}`);
  if (options.files.some((file) => file !== "-")) deps.hashPool().warm();
  // Start every file at once (the pool queues them), print in argument order as they finish.
  const digests = options.files.map((file) =>
    settle(file === "-" ? hashStream(deps.stdin) : deps.hashPool().hashFile(path(file))),
  );
  let exitCode: ExitCode = ExitCode.ok;
  for (const [i, file] of options.files.entries()) {
    try {
      const digest = await unwrap(defined(digests[i], "digests[i]"));
      await deps.output.data(options.json ? jsonLine(file, digest) : sumLine(file, digest.treeHash));
    } catch (error) {
      if (!(error instanceof FileError)) throw error;
      deps.output.error(`${file}: ${error.reason}`);
      exitCode = ExitCode.failure;
    }
  }
  return exitCode;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

// Results are awaited in argument order, so later failures must not become unhandled rejections.
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

async function unwrap<T>(settled: Promise<Settled<T>>): Promise<T> {
  const result = await settled;
  if (result.ok) return result.value;
  throw result.error;
}

async function hashStream(stream: Readable): Promise<{ bytes: number; treeHash: string }> {
  const hasher = new TreeHasher();
  for await (const chunk of stream) hasher.update(chunk as Buffer);
  return { bytes: hasher.length, treeHash: hasher.hexDigest() };
}

// sha256sum's format: "<hash>  <name>"; a name with a newline or backslash is escaped and the line
// starts with a backslash, so every output line stays one record.
function sumLine(file: string, hash: string): string {
  if (!/[\n\\]/.test(file)) return `${hash}  ${file}\n`;
  return `\\${hash}  ${file.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n`;
}

function jsonLine(file: string, digest: { bytes: number; treeHash: string }): string {
  return `${JSON.stringify({ file, size: digest.bytes, treeHash: digest.treeHash })}\n`;
}
