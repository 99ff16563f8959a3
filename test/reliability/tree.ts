// Source trees for the harness: small files in nested folders plus a few multipart-sized files,
// from a seeded generator, and the checks that compare a restored tree with its source.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { seeded, seededBytes } from "./rng.ts";

export const MiB = 1024 * 1024;

export interface TreeSpec {
  small: number;
  /** Sizes of the large (multipart with --part-size 1048576) files. */
  large: readonly number[];
  seed: number;
}

/** Writes the tree; returns name (relative path, "/" separators) -> bytes. */
export async function writeTree(root: string, spec: TreeSpec): Promise<Map<string, Buffer>> {
  const random = seeded(spec.seed);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < spec.small; i++)
    files.set(`d${i % 3}/sub${i % 2}/small-${i}.bin`, seededBytes(random, 1 + Math.floor(random() * 40_000)));
  spec.large.forEach((size, i) => files.set(`big/large-${i}.img`, seededBytes(random, size)));
  for (const [name, bytes] of files) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), bytes);
  }
  return files;
}

/** Every regular file under root, by relative path. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/** A download's temporary files: `.NAME.glacier-partial`, its `.json` sidecar and its writer's `.lock`. */
export const isPartial = (name: string): boolean =>
  /(^|\/)\.[^/]*\.glacier-partial(\.json(\.new)?|\.lock)?$/.test(name);

/**
 * Problems with a restored tree: a file under a final name whose bytes differ from the source, a
 * file nobody asked for; with `complete`, also a source file missing.
 */
export async function compareTree(
  root: string,
  files: Map<string, Buffer>,
  complete: boolean,
): Promise<{ problems: string[]; bytes: number; finals: number }> {
  const problems: string[] = [];
  let bytes = 0;
  let finals = 0;
  for (const name of await listFiles(root)) {
    if (isPartial(name)) continue;
    const want = files.get(name);
    if (!want) {
      problems.push(`unexpected file ${name} in the restore folder`);
      continue;
    }
    const got = await readFile(join(root, name));
    finals += 1;
    if (!got.equals(want))
      problems.push(`${name}: restored bytes differ from the source (${got.length} vs ${want.length} bytes)`);
    else bytes += got.length;
  }
  if (complete) {
    for (const name of files.keys())
      if (
        finals === 0 ||
        !(await readFile(join(root, name)).then(
          () => true,
          () => false,
        ))
      )
        problems.push(`${name}: not restored`);
  }
  return { problems, bytes, finals };
}
