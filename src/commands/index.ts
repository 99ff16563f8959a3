// The command table: every subcommand's spec (specs.ts) and a lazy import of its module, so that
// --help never loads a command. command() checks at compile time that each module parses its spec, and
// `satisfies` that every spec has its entry.
import { specs } from "./specs.ts";
import { type CommandEntry, command } from "./types.ts";

const table = {
  treehash: command(specs.treehash, () => import("./treehash.ts")),
  vaultList: command(specs.vaultList, () => import("./vault-list.ts")),
  vaultCreate: command(specs.vaultCreate, () => import("./vault-create.ts")),
  vaultDelete: command(specs.vaultDelete, () => import("./vault-delete.ts")),
  archiveList: command(specs.archiveList, () => import("./archive-list.ts")),
  archiveUpload: command(specs.archiveUpload, () => import("./archive-upload.ts")),
  archiveDelete: command(specs.archiveDelete, () => import("./archive-delete.ts")),
  archiveRetrieve: command(specs.archiveRetrieve, () => import("./archive-retrieve.ts")),
  archiveCheckpresent: command(specs.archiveCheckpresent, () => import("./archive-checkpresent.ts")),
  vaultSync: command(specs.vaultSync, () => import("./vault-sync.ts")),
  jobList: command(specs.jobList, () => import("./job-list.ts")),
  archiveMultiUpload: command(specs.archiveMultiUpload, () => import("./archive-multi-upload.ts")),
  vaultReconcile: command(specs.vaultReconcile, () => import("./vault-reconcile.ts")),
  vaultPrune: command(specs.vaultPrune, () => import("./vault-prune.ts")),
  vaultSnapshots: command(specs.vaultSnapshots, () => import("./vault-snapshots.ts")),
  archiveMultiDelete: command(specs.archiveMultiDelete, () => import("./archive-multi-delete.ts")),
  vaultRestore: command(specs.vaultRestore, () => import("./vault-restore.ts")),
  vaultMigrate: command(specs.vaultMigrate, () => import("./vault-migrate.ts")),
  annexMigrate: command(specs.annexMigrate, () => import("./annex-migrate.ts")),
  completion: command(specs.completion, () => import("./completion.ts")),
} satisfies Record<keyof typeof specs, CommandEntry>;

export const commands: readonly CommandEntry[] = Object.values(table);
