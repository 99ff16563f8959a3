// The command table: every subcommand, its arguments and options, and a lazy import of its module.
import type { CommandSpec } from "./types.ts";

export const commands: readonly CommandSpec[] = [
  {
    path: ["treehash"],
    summary: "print SHA-256 tree hashes of files, like sha256sum (- reads stdin)",
    args: ["<file...>"],
    options: [{ flags: "--json", description: "print one JSON object per file (NDJSON)" }],
    load: () => import("./treehash.ts"),
  },
  {
    path: ["vault", "list"],
    summary: "list the vaults of the region, one per line",
    args: [],
    options: [],
    load: () => import("./vault-list.ts"),
  },
  {
    path: ["vault", "create"],
    summary: "create a vault (succeeds if it exists)",
    args: ["<vault>"],
    options: [],
    load: () => import("./vault-create.ts"),
  },
  {
    path: ["vault", "delete"],
    summary: "delete an empty vault",
    args: ["<vault>"],
    options: [],
    load: () => import("./vault-delete.ts"),
  },
  {
    path: ["archive", "list"],
    summary: "list the archives of a vault from the local cache",
    args: ["<vault>"],
    options: [
      { flags: "--force-ids", description: "print every archive as id:<id>TAB<name>" },
      { flags: "--with-hash", description: "add the SHA-256 tree hash to each line" },
      { flags: "--json", description: "print one JSON object per archive (NDJSON)" },
    ],
    load: () => import("./archive-list.ts"),
  },
  {
    path: ["archive", "upload"],
    summary: "upload FILE (- for stdin) as an archive and record it in the cache",
    args: ["<vault>", "<file>"],
    options: [
      { flags: "--name <name>", description: "archive name (default: the file's basename)" },
      { flags: "--part-size <bytes>", description: "multipart part size: 1MiB x 2^k (default: fits 10,000 parts)" },
      { flags: "--concurrency <n>", description: "parts sent at once (default 4)" },
    ],
    load: () => import("./archive-upload.ts"),
  },
  {
    path: ["archive", "delete"],
    summary: "delete archives by name or id:ID",
    args: ["<vault>", "<name...>"],
    options: [],
    load: () => import("./archive-delete.ts"),
  },
  {
    path: ["archive", "retrieve"],
    summary: "download archives, starting or reusing retrieval jobs (exit 75 while pending)",
    args: ["<vault>", "<name...>"],
    options: [
      { flags: "--wait", description: "wait for pending jobs instead of exiting 75" },
      { flags: "-o, --output <file>", description: "output file (- for stdout); only with one name" },
      { flags: "--multipart-size <bytes>", description: "download range size: 1MiB x 2^k (default 8MiB)" },
      { flags: "--tier <tier>", description: "Expedited, Standard (default) or Bulk, for new jobs" },
    ],
    load: () => import("./archive-retrieve.ts"),
  },
  {
    path: ["archive", "checkpresent"],
    summary: "print NAME if the archive was seen within --max-age hours (syncs when too old)",
    args: ["<vault>", "<name>"],
    options: [
      { flags: "--wait", description: "wait for an inventory job when one is needed" },
      { flags: "--quiet", description: "say nothing on stderr when absent" },
      { flags: "--max-age <hours>", description: "how recently it must have been seen (default 80)" },
    ],
    load: () => import("./archive-checkpresent.ts"),
  },
  {
    path: ["vault", "sync"],
    summary: "reconcile the cache with the vault's inventory (exit 75 while the job is pending)",
    args: ["<vault>"],
    options: [
      { flags: "--wait", description: "wait for the inventory job instead of exiting 75" },
      { flags: "--fix", description: "correct names and hashes and drop archives that disappeared" },
      { flags: "--max-age <hours>", description: "reuse an inventory job completed within this many hours (default 24)" },
    ],
    load: () => import("./vault-sync.ts"),
  },
  {
    path: ["job", "list"],
    summary: "list the jobs of every vault (format read by git-annex)",
    args: [],
    options: [],
    load: () => import("./job-list.ts"),
  },
];
