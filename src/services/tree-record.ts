// What the cache knows of the trees backed up to a vault (docs/restore.md "The latest state"): for
// each prefix, the folder it was backed up from and the manifest of its latest backup (the same
// text as a manifest archive, whether or not one was uploaded). Kept beside the archive cache as one
// JSON file per (region, vault), replaced atomically, like the hash state of reconcile: it is
// derived data, so a lost file only means that a plain `vault restore` gives back file contents
// without the modes, mtimes, empty files, folders and links (a manifest archive still has them), and
// that reconcile no longer remembers the prefix of a folder. Manifest archives written here are kept
// in the same folder, so that reading one back needs no retrieval job.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite, ensureDir } from "../cache/files.ts";
import { decodeManifest, encodeManifest, type Manifest } from "../core/manifest.ts";
import { treeHash } from "../core/tree-hash.ts";

const VERSION = 1;

interface TreeRecordFile {
  version: number;
  /** prefix -> the latest backup under it. */
  trees: Record<string, { root: string; createdAt: number; manifest: string }>;
}

export interface TreeRecord {
  prefix: string;
  root: string;
  manifest: Manifest;
}

const id = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);

export class TreeRecords {
  private constructor(
    private readonly folder: string,
    private readonly path: string,
    private readonly vault: string,
    private readonly data: TreeRecordFile,
  ) {}

  static load(cacheDir: string, region: string, vault: string): TreeRecords {
    const folder = join(cacheDir, "tree-state");
    const path = join(folder, `${id(region, vault)}.json`);
    let data: TreeRecordFile = { version: VERSION, trees: {} };
    try {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as { version?: unknown; trees?: unknown } | null;
      if (parsed?.version === VERSION && typeof parsed.trees === "object" && parsed.trees !== null) {
        data = parsed as TreeRecordFile;
      }
    } catch {
      // Missing or unreadable: nothing is known (see the comment at the top).
    }
    return new TreeRecords(folder, path, vault, data);
  }

  /** Every recorded tree whose manifest decodes, for this vault. */
  all(): TreeRecord[] {
    const out: TreeRecord[] = [];
    for (const [prefix, tree] of Object.entries(this.data.trees)) {
      try {
        const manifest = decodeManifest(tree.manifest, "tree record");
        if (manifest.vault === this.vault) out.push({ prefix, root: tree.root, manifest });
      } catch {
        // An unreadable record is as good as none.
      }
    }
    return out;
  }

  /** The prefix the folder was last backed up under, if any. */
  prefixOf(root: string): string | undefined {
    const found = Object.entries(this.data.trees)
      .filter(([, t]) => t.root === root)
      .sort((a, b) => b[1].createdAt - a[1].createdAt);
    return found[0]?.[0];
  }

  save(root: string, manifest: Manifest): void {
    this.data.trees[manifest.prefix] = { root, createdAt: manifest.createdAt, manifest: encodeManifest(manifest) };
    ensureDir(this.folder);
    atomicWrite(this.path, [Buffer.from(JSON.stringify(this.data))]);
  }

  /** Keeps the body of a manifest archive uploaded from here. */
  keepManifest(name: string, body: Buffer): void {
    ensureDir(this.folder);
    atomicWrite(join(this.folder, `${id(this.vault, name)}.jsonl`), [body]);
  }

  /** The body of a manifest archive kept here, when its tree hash is the archive's. */
  keptManifest(name: string, expectedTreeHash: string | null): Buffer | undefined {
    try {
      const body = readFileSync(join(this.folder, `${id(this.vault, name)}.jsonl`));
      return expectedTreeHash !== null && treeHash(body) === expectedTreeHash ? body : undefined;
    } catch {
      return undefined;
    }
  }
}
