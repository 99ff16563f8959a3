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
];
