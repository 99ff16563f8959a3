// What a manifest records besides archives, so that a restore gives back the tree that was backed up
// (docs/restore.md): empty files (Glacier cannot store an empty archive), folders (empty ones too),
// symbolic links as links (their target, never the bytes they point at), and the mode and
// modification time of every file and folder.
//
// Manifest lines (version 2), beside the archive lines of version 1, which gain "mode" and "mtime":
//   {"kind":"dir","name":"mac/bands","mode":493,"mtime":1764650000123.456}
//   {"kind":"empty","name":"mac/token","mode":420,"mtime":1764650000123.456}
//   {"kind":"symlink","name":"mac/current","target":"bands/0","mtime":1764650000123.456}
// mode: the permission bits (07777) in decimal; mtime: epoch milliseconds, fractions kept (stat's
// mtimeMs), so a restored tree compares equal to the microsecond.

export interface FileMeta {
  /** Permission bits (07777). */
  mode: number;
  /** Modification time, epoch ms (fractional). */
  mtime: number;
}

export type TreeNode =
  | ({ kind: "dir"; name: string } & FileMeta)
  | ({ kind: "empty"; name: string } & FileMeta)
  | { kind: "symlink"; name: string; target: string; mtime: number };

const KINDS: readonly string[] = ["dir", "empty", "symlink"];

export function encodeNode(node: TreeNode): Record<string, unknown> {
  if (node.kind === "symlink") return { kind: node.kind, name: node.name, target: node.target, mtime: node.mtime };
  return { kind: node.kind, name: node.name, mode: node.mode, mtime: node.mtime };
}

/** Reads mode and mtime of a line; both absent (a version 1 line) gives undefined. */
export function decodeMeta(r: Record<string, unknown>, fail: (why: string) => never): FileMeta | undefined {
  if (r.mode === undefined && r.mtime === undefined) return undefined;
  return { mode: decodeMode(r.mode, fail), mtime: decodeMtime(r.mtime, fail) };
}

/** A non-archive line (it has "kind"), or a refusal naming what is wrong. */
export function decodeNode(r: Record<string, unknown>, name: string, fail: (why: string) => never): TreeNode {
  if (typeof r.kind !== "string" || !KINDS.includes(r.kind)) return fail(`kind must be one of ${KINDS.join(", ")}`);
  const mtime = decodeMtime(r.mtime, fail);
  if (r.kind === "symlink") {
    const target =
      typeof r.target === "string" && r.target !== "" && !r.target.includes("\0")
        ? r.target
        : fail("target must be a non-empty string");
    return { kind: "symlink", name, target, mtime };
  }
  return { kind: r.kind as "dir" | "empty", name, mode: decodeMode(r.mode, fail), mtime };
}

function decodeMode(value: unknown, fail: (why: string) => never): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0o7777
    ? value
    : fail("mode must be a whole number from 0 to 4095");
}

function decodeMtime(value: unknown, fail: (why: string) => never): number {
  return typeof value === "number" && Number.isFinite(value)
    ? value
    : fail("mtime must be a number (epoch milliseconds)");
}
