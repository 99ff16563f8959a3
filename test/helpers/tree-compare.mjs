// Describes a folder tree the way a backup must give it back (docs/restore.md): every name (as
// bytes, so names that are not UTF-8 count), its type, a digest of its bytes, its symbolic link
// target, its mode, its mtime and the blocks it occupies; and compares two descriptions. Plain
// JavaScript so that `npm run demo` (test/demo/demo.mjs) and the e2e tests share it.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";

const kindOf = (s) => (s.isDirectory() ? "dir" : s.isSymbolicLink() ? "symlink" : s.isFile() ? "file" : "other");

/** Map of relative name (latin1 of the bytes) -> { kind, sha, target, mode, mtimeMs, blocks, size }. */
export function describeTree(dir) {
  const out = new Map();
  const walk = (folder, relative) => {
    for (const raw of readdirSync(folder, { encoding: "buffer" })) {
      const path = Buffer.concat([folder, Buffer.from("/"), raw]);
      const name = relative.length === 0 ? raw : Buffer.concat([relative, Buffer.from("/"), raw]);
      const s = lstatSync(path);
      const kind = kindOf(s);
      const entry = { kind, mode: s.mode & 0o7777, mtimeMs: s.mtimeMs, blocks: s.blocks, size: s.size };
      if (kind === "file") entry.sha = createHash("sha256").update(readFileSync(path)).digest("hex");
      if (kind === "symlink") entry.target = readlinkSync(path, { encoding: "buffer" }).toString("latin1");
      out.set(name.toString("latin1"), entry);
      if (kind === "dir") walk(path, name);
    }
  };
  walk(Buffer.from(dir), Buffer.alloc(0));
  return out;
}

/**
 * Differences between the original and the restored tree, one line each (none: identical). Mtimes
 * must agree to the microsecond (symbolic links: not compared where the system cannot set them);
 * allocated blocks within 10% plus one block of 4 KiB (8 sectors) per file.
 */
export function compareTrees(original, restored) {
  const problems = [];
  const show = (name) => JSON.stringify(Buffer.from(name, "latin1").toString("utf8"));
  for (const [name, want] of original) {
    const got = restored.get(name);
    if (!got) {
      problems.push(`missing: ${show(name)}`);
      continue;
    }
    if (got.kind !== want.kind) problems.push(`${show(name)}: a ${got.kind}, not a ${want.kind}`);
    else if (want.kind === "file" && got.sha !== want.sha) problems.push(`${show(name)}: different bytes`);
    else if (want.kind === "symlink" && got.target !== want.target)
      problems.push(`${show(name)}: link to ${got.target}, not ${want.target}`);
    if (want.kind !== "symlink" && got.mode !== want.mode)
      problems.push(`${show(name)}: mode ${got.mode.toString(8)}, not ${want.mode.toString(8)}`);
    if (Math.abs(got.mtimeMs - want.mtimeMs) > 0.002)
      problems.push(`${show(name)}: mtime ${got.mtimeMs}, not ${want.mtimeMs}`);
    if (want.kind === "file" && got.blocks > want.blocks * 1.1 + 8)
      problems.push(`${show(name)}: ${got.blocks * 512} bytes allocated, the original ${want.blocks * 512}`);
  }
  for (const name of restored.keys()) if (!original.has(name)) problems.push(`unexpected: ${show(name)}`);
  return problems;
}

/** Sum of allocated bytes of the files of a description. */
export function allocatedBytes(tree) {
  let sum = 0;
  for (const e of tree.values()) if (e.kind === "file") sum += e.blocks * 512;
  return sum;
}
