// The specs of every subcommand: words, arguments and options, each option with the type of its
// value (src/commands/types.ts). The command table (index.ts) pairs each with its module; a command's
// parse() reads the Invocation of its own spec, and completion scripts are generated from them all.
import { defineCommand, flag, list, value } from "./types.ts";

const treehash = defineCommand({
  path: ["treehash"],
  summary: "print SHA-256 tree hashes of files, like sha256sum (- reads stdin)",
  args: ["<file...>"],
  options: {
    json: flag("--json", "print one JSON object per file (NDJSON)"),
  },
});

const vaultList = defineCommand({
  path: ["vault", "list"],
  summary: "list the vaults of the region, one per line",
  args: [],
  options: {},
});

const vaultCreate = defineCommand({
  path: ["vault", "create"],
  summary: "create a vault (succeeds if it exists)",
  args: ["<vault>"],
  options: {},
});

const vaultDelete = defineCommand({
  path: ["vault", "delete"],
  summary: "delete an empty vault",
  args: ["<vault>"],
  options: {},
});

const archiveList = defineCommand({
  path: ["archive", "list"],
  summary: "list the archives of a vault from the local cache",
  args: ["<vault>"],
  options: {
    forceIds: flag("--force-ids", "print every archive as id:<id>TAB<name>"),
    withHash: flag("--with-hash", "add the SHA-256 tree hash to each line"),
    json: flag("--json", "print one JSON object per archive (NDJSON)"),
  },
});

const archiveUpload = defineCommand({
  path: ["archive", "upload"],
  summary: "upload FILE (- for stdin) as an archive and record it in the cache",
  args: ["<vault>", "<file>"],
  options: {
    name: value("--name <name>", "archive name (default: the file's basename)"),
    partSize: value("--part-size <bytes>", "multipart part size: 1MiB x 2^k (default: fits 10,000 parts)"),
    concurrency: value("--concurrency <n>", "parts sent at once (default 4)"),
  },
});

const archiveDelete = defineCommand({
  path: ["archive", "delete"],
  summary: "delete archives by name or id:ID",
  args: ["<vault>", "<name...>"],
  options: {},
});

const archiveRetrieve = defineCommand({
  path: ["archive", "retrieve"],
  summary: "download archives, starting or reusing retrieval jobs (exit 75 while pending)",
  args: ["<vault>", "<name...>"],
  options: {
    wait: flag("--wait", "wait for pending jobs instead of exiting 75"),
    output: value("-o, --output <file>", "output file (- for stdout); only with one name"),
    multipartSize: value("--multipart-size <bytes>", "download range size: 1MiB x 2^k (default 8MiB)"),
    tier: value("--tier <tier>", "Expedited, Standard (default) or Bulk, for new jobs"),
  },
});

const archiveCheckpresent = defineCommand({
  path: ["archive", "checkpresent"],
  summary: "print NAME if the archive was seen within --max-age hours (syncs when too old)",
  args: ["<vault>", "<name>"],
  options: {
    wait: flag("--wait", "wait for an inventory job when one is needed"),
    quiet: flag("--quiet", "say nothing on stderr when absent"),
    maxAge: value("--max-age <hours>", "how recently it must have been seen (default 80)"),
  },
});

const vaultSync = defineCommand({
  path: ["vault", "sync"],
  summary: "reconcile the cache with the vault's inventory (exit 75 while the job is pending)",
  args: ["<vault>"],
  options: {
    wait: flag("--wait", "wait for the inventory job instead of exiting 75"),
    fix: flag("--fix", "correct names and hashes and drop archives that disappeared"),
    maxAge: value("--max-age <hours>", "reuse an inventory job completed within this many hours (default 24)"),
  },
});

const jobList = defineCommand({
  path: ["job", "list"],
  summary: "list the jobs of every vault (format read by git-annex)",
  args: [],
  options: {},
});

const archiveMultiUpload = defineCommand({
  path: ["archive", "multi-upload"],
  summary: "upload every file under DIR... named by its path relative to DIR",
  args: ["<vault>", "<dir...>"],
  options: {
    resume: flag("--resume", "skip files already uploaded with the same name, size and tree hash"),
    prefix: value("--prefix <prefix>", "put the archive names under this folder"),
    exclude: list("--exclude <glob>", "leave out matching paths (repeatable)"),
    includeHidden: flag("--include-hidden", "accepted for compatibility: hidden files are always included"),
    followSymlinks: flag("--follow-symlinks", "store what symbolic links to files point at (default: store the links)"),
    dryRun: flag("--dry-run", "print what would be uploaded and send nothing"),
    manifest: flag("--manifest", "with one DIR, upload a manifest of the tree (for vault restore --manifest)"),
    json: flag("--json", "print NDJSON events on stdout"),
    partSize: value("--part-size <bytes>", "multipart part size: 1MiB x 2^k"),
    concurrency: value("--concurrency <n>", "requests at once, shared by all files (default 4)"),
  },
});

const vaultReconcile = defineCommand({
  path: ["vault", "reconcile"],
  summary: "compare DIR with the cached archives by tree hash; --commit uploads and deletes",
  args: ["<vault>", "<dir>"],
  options: {
    commit: flag("--commit", "apply the plan (without it nothing changes)"),
    deleteRemoved: flag("--delete-removed", "also delete archives whose file is gone"),
    trustMtime: flag(
      "--trust-mtime",
      "skip hashing files whose size, mtime, ctime and inode are as when last hashed (faster, weaker)",
    ),
    prefix: value("--prefix <prefix>", "the archive names of DIR are under this folder"),
    exclude: list("--exclude <glob>", "leave out matching paths (repeatable)"),
    includeHidden: flag("--include-hidden", "accepted for compatibility: hidden files are always included"),
    followSymlinks: flag("--follow-symlinks", "store what symbolic links to files point at (default: store the links)"),
    verbose: flag("--verbose", "list every change"),
    prices: value("--prices <file>", "price table JSON for the estimate (default: built-in, dated; or GLACIER_PRICES)"),
    manifest: flag("--manifest", "after --commit, upload a manifest of the snapshot (for vault restore --manifest)"),
    concurrency: value("--concurrency <n>", "requests at once (default 4)"),
    keepVersions: value(
      "--keep-versions <days>",
      "keep replaced and removed versions this many days (default: until 90 days after upload; 0 deletes " +
        "at once, fee charged)",
    ),
    maxDelete: value(
      "--max-delete <n>",
      "allow --delete-removed to remove up to N paths (default: refuse an empty source or more than half)",
    ),
  },
});

const vaultPrune = defineCommand({
  path: ["vault", "prune"],
  summary: "delete old versions (superseded archives) whose retention has ended, with no early-deletion fee",
  args: ["<vault>"],
  options: {
    prefix: value("--prefix <prefix>", "only old versions under this folder"),
    keepVersions: value(
      "--keep-versions <days>",
      "keep old versions this many days after they were replaced (0: delete all now, fee charged)",
    ),
    dryRun: flag("--dry-run", "say what would be deleted; delete nothing"),
  },
});

const vaultSnapshots = defineCommand({
  path: ["vault", "snapshots"],
  summary: "list the manifests (snapshots) of a vault: time, files, bytes, complete, restorable until",
  args: ["<vault>"],
  options: {
    prefix: value("--prefix <prefix>", "only snapshots of this folder"),
    keepVersions: value("--keep-versions <days>", "the retention prune will use, for the restorable-until date"),
    json: flag("--json", "print one JSON object per snapshot (NDJSON)"),
  },
});

const archiveMultiDelete = defineCommand({
  path: ["archive", "multi-delete"],
  summary: "delete several archives, saying each (the vbourachot fork's command)",
  args: ["<vault>", "<name...>"],
  options: {},
});

const vaultRestore = defineCommand({
  path: ["vault", "restore"],
  summary: "retrieve every archive under --prefix into DIR (exit 75 while jobs are pending)",
  args: ["<vault>", "<dir>"],
  options: {
    prefix: value("--prefix <prefix>", "restore only the archives under this folder (names are made relative to it)"),
    tier: value("--tier <tier>", "Expedited, Standard (default) or Bulk, for new jobs"),
    wait: flag("--wait", "wait for the jobs instead of exiting 75"),
    dryRun: flag("--dry-run", "list what would be restored and which jobs would start; start no job"),
    force: flag("--force", "overwrite existing files that differ"),
    manifest: value("--manifest <name>", "restore exactly the snapshot this manifest archive records"),
    deleteExtra: flag("--delete-extra", "with --manifest, delete files in DIR that the snapshot does not have"),
    json: flag("--json", "print NDJSON events on stdout"),
    multipartSize: value("--multipart-size <bytes>", "download range size: 1MiB x 2^k (default 8MiB)"),
  },
});

const vaultMigrate = defineCommand({
  path: ["vault", "migrate"],
  summary:
    "move a vault's archives to S3 objects under s3://BUCKET/PREFIX: the plan (keys, costs, days), then --commit",
  args: ["<vault>", "<target>"],
  options: {
    storageClass: value(
      "--storage-class <class>",
      "S3 class of the objects: DEEP_ARCHIVE (default), GLACIER, GLACIER_IR or STANDARD",
    ),
    tier: value("--tier <tier>", "retrieval tier: Bulk (default), Standard or Expedited"),
    maxBytesPerDay: value("--max-bytes-per-day <bytes>", "retrieve at most this much a day (default: no limit)"),
    maxJobs: value("--max-jobs <n>", "retrieval jobs in flight at most (default 1000)"),
    shard: value("--shard <i/n>", "take only shard I of N (split by archive id) for N machines"),
    wait: flag("--wait", "wait for the inventory job instead of exiting 75"),
    maxAge: value("--max-age <hours>", "reuse an inventory job completed within this many hours (default 24)"),
    json: flag("--json", "print one JSON object per archive (NDJSON), then the totals"),
    prices: value(
      "--prices <file>",
      "vault price table JSON for the estimate (default: built-in, dated; or GLACIER_PRICES)",
    ),
    annexLayout: flag("--annex-layout", "name objects PREFIX + git-annex key, as a git-annex S3 remote expects"),
    fileprefix: value("--fileprefix <prefix>", "with --annex-layout: the vault remote's fileprefix=, left out of keys"),
    commit: flag("--commit", "request the retrievals and copy each archive whose job is done (exit 75 while pending)"),
    deleteSource: flag("--delete-source", "with --commit: delete each vault archive once its object is verified"),
    report: value("--report <path>", "with --commit: the report's local path (default ./glacier-migrate-VAULT)"),
    concurrency: value("--concurrency <n>", "with --commit: S3 parts in flight at once over all copies (default 4)"),
  },
});

const annexMigrate = defineCommand({
  path: ["annex-migrate"],
  summary: "in a git-annex repository: record that an S3 remote holds the keys vault migrate copied there",
  args: [],
  options: {
    from: value("--from <remote>", "the vault remote (type=glacier, or externaltype=glacier with vault=)"),
    to: value("--to <remote>", "our remote on S3 (externaltype=glacier bucket=...)"),
    dryRun: flag("--dry-run", "check every key's object, record nothing"),
  },
});

const completion = defineCommand({
  path: ["completion"],
  summary: "print a shell completion script: bash, zsh or fish (see the README to install it)",
  args: ["[shell]"],
  options: {
    vaults: flag("--vaults", "print the vault names the archive cache knows (used by the scripts)"),
  },
});

/** Every spec by name, in the order of --help and of the completion scripts. */
export const specs = {
  treehash,
  vaultList,
  vaultCreate,
  vaultDelete,
  archiveList,
  archiveUpload,
  archiveDelete,
  archiveRetrieve,
  archiveCheckpresent,
  vaultSync,
  jobList,
  archiveMultiUpload,
  vaultReconcile,
  vaultPrune,
  vaultSnapshots,
  archiveMultiDelete,
  vaultRestore,
  vaultMigrate,
  annexMigrate,
  completion,
};
