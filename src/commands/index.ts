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
      {
        flags: "--max-age <hours>",
        description: "reuse an inventory job completed within this many hours (default 24)",
      },
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
  {
    path: ["archive", "multi-upload"],
    summary: "upload every file under DIR... named by its path relative to DIR",
    args: ["<vault>", "<dir...>"],
    options: [
      { flags: "--resume", description: "skip files already uploaded with the same name, size and tree hash" },
      { flags: "--prefix <prefix>", description: "put the archive names under this folder" },
      { flags: "--exclude <glob>", description: "leave out matching paths (repeatable)", repeatable: true },
      { flags: "--include-hidden", description: "accepted for compatibility: hidden files are always included" },
      {
        flags: "--follow-symlinks",
        description: "store what symbolic links to files point at (default: store the links)",
      },
      { flags: "--dry-run", description: "print what would be uploaded and send nothing" },
      {
        flags: "--manifest",
        description: "with one DIR, upload a manifest of the tree (for vault restore --manifest)",
      },
      { flags: "--json", description: "print NDJSON events on stdout" },
      { flags: "--part-size <bytes>", description: "multipart part size: 1MiB x 2^k" },
      { flags: "--concurrency <n>", description: "requests at once, shared by all files (default 4)" },
    ],
    load: () => import("./archive-multi-upload.ts"),
  },
  {
    path: ["vault", "reconcile"],
    summary: "compare DIR with the cached archives by tree hash; --commit uploads and deletes",
    args: ["<vault>", "<dir>"],
    options: [
      { flags: "--commit", description: "apply the plan (without it nothing changes)" },
      { flags: "--delete-removed", description: "also delete archives whose file is gone" },
      {
        flags: "--trust-mtime",
        description: "skip hashing files whose size, mtime, ctime and inode are as when last hashed (faster, weaker)",
      },
      { flags: "--prefix <prefix>", description: "the archive names of DIR are under this folder" },
      { flags: "--exclude <glob>", description: "leave out matching paths (repeatable)", repeatable: true },
      { flags: "--include-hidden", description: "accepted for compatibility: hidden files are always included" },
      {
        flags: "--follow-symlinks",
        description: "store what symbolic links to files point at (default: store the links)",
      },
      { flags: "--verbose", description: "list every change" },
      {
        flags: "--prices <file>",
        description: "price table JSON for the estimate (default: built-in, dated; or GLACIER_PRICES)",
      },
      {
        flags: "--manifest",
        description: "after --commit, upload a manifest of the snapshot (for vault restore --manifest)",
      },
      { flags: "--concurrency <n>", description: "requests at once (default 4)" },
      {
        flags: "--keep-versions <days>",
        description:
          "keep replaced and removed versions this many days (default: until 90 days after upload; 0 deletes " +
          "at once, fee charged)",
      },
      {
        flags: "--max-delete <n>",
        description:
          "allow --delete-removed to remove up to N paths (default: refuse an empty source or more than half)",
      },
    ],
    load: () => import("./vault-reconcile.ts"),
  },
  {
    path: ["vault", "prune"],
    summary: "delete old versions (superseded archives) whose retention has ended, with no early-deletion fee",
    args: ["<vault>"],
    options: [
      { flags: "--prefix <prefix>", description: "only old versions under this folder" },
      {
        flags: "--keep-versions <days>",
        description: "keep old versions this many days after they were replaced (0: delete all now, fee charged)",
      },
      { flags: "--dry-run", description: "say what would be deleted; delete nothing" },
    ],
    load: () => import("./vault-prune.ts"),
  },
  {
    path: ["vault", "snapshots"],
    summary: "list the manifests (snapshots) of a vault: time, files, bytes, complete, restorable until",
    args: ["<vault>"],
    options: [
      { flags: "--prefix <prefix>", description: "only snapshots of this folder" },
      { flags: "--keep-versions <days>", description: "the retention prune will use, for the restorable-until date" },
      { flags: "--json", description: "print one JSON object per snapshot (NDJSON)" },
    ],
    load: () => import("./vault-snapshots.ts"),
  },
  {
    path: ["archive", "multi-delete"],
    summary: "delete several archives, saying each (the vbourachot fork's command)",
    args: ["<vault>", "<name...>"],
    options: [],
    load: () => import("./archive-multi-delete.ts"),
  },
  {
    path: ["vault", "restore"],
    summary: "retrieve every archive under --prefix into DIR (exit 75 while jobs are pending)",
    args: ["<vault>", "<dir>"],
    options: [
      {
        flags: "--prefix <prefix>",
        description: "restore only the archives under this folder (names are made relative to it)",
      },
      { flags: "--tier <tier>", description: "Expedited, Standard (default) or Bulk, for new jobs" },
      { flags: "--wait", description: "wait for the jobs instead of exiting 75" },
      { flags: "--dry-run", description: "list what would be restored and which jobs would start; start no job" },
      { flags: "--force", description: "overwrite existing files that differ" },
      { flags: "--manifest <name>", description: "restore exactly the snapshot this manifest archive records" },
      { flags: "--delete-extra", description: "with --manifest, delete files in DIR that the snapshot does not have" },
      { flags: "--json", description: "print NDJSON events on stdout" },
      { flags: "--multipart-size <bytes>", description: "download range size: 1MiB x 2^k (default 8MiB)" },
    ],
    load: () => import("./vault-restore.ts"),
  },
  {
    path: ["completion"],
    summary: "print a shell completion script: bash, zsh or fish (see the README to install it)",
    args: ["[shell]"],
    options: [
      { flags: "--vaults", description: "print the vault names the archive cache knows (used by the scripts)" },
    ],
    load: () => import("./completion.ts"),
  },
];
