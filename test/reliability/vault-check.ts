// Checks of a vault against the expected files and the cache: through the emulator's state (the
// service's truth), `glacier archive list --json` (the cache) and the request log (what was sent).
import type { RequestLogEntry } from "../../src/emulator/index.ts";
import type { World } from "./world.ts";

export interface CachedEntry {
  id: string;
  name: string;
  size: number;
  treeHash: string;
}

export async function cachedArchives(world: World, vault: string): Promise<CachedEntry[]> {
  const listed = await world.glacier(["archive", "list", "--json", vault]);
  if (listed.exitCode !== 0) throw new Error(`archive list failed: ${listed.stderr}`);
  return listed.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as CachedEntry);
}

/** The live archives of a vault in the emulator, as description -> ids. */
export async function vaultArchives(world: World, vault: string): Promise<Map<string, string[]>> {
  const state = await world.emulator.control.dumpState();
  const byName = new Map<string, string[]>();
  for (const a of Object.values(state.vaults[vault]?.archives ?? {}))
    byName.set(a.description, [...(byName.get(a.description) ?? []), a.id]);
  return byName;
}

/** Every expected name in the vault exactly once, nothing else, and the cache listing the same ids. */
export async function vaultProblems(world: World, vault: string, names: Iterable<string>): Promise<string[]> {
  const problems: string[] = [];
  const inVault = await vaultArchives(world, vault);
  const expected = new Set(names);
  for (const name of expected) {
    const ids = inVault.get(name) ?? [];
    if (ids.length !== 1) problems.push(`${name}: ${ids.length} archives in the vault (want exactly 1)`);
  }
  for (const name of inVault.keys())
    if (!expected.has(name)) problems.push(`${name}: in the vault but not in the tree`);
  const cached = await cachedArchives(world, vault);
  const cachedKey = new Set(cached.map((c) => `${c.name}\0${c.id}`));
  const vaultKey = new Set([...inVault].flatMap(([name, ids]) => ids.map((id) => `${name}\0${id}`)));
  for (const k of vaultKey)
    if (!cachedKey.has(k)) problems.push(`cache lacks vault archive ${k.replace("\0", " id:")}`);
  for (const k of cachedKey)
    if (!vaultKey.has(k)) problems.push(`cache lists ${k.replace("\0", " id:")}, which the vault does not hold`);
  return problems;
}

/** Successful data requests: whole-file uploads by name, parts by upload id + range. */
export function completedUploads(log: readonly RequestLogEntry[]): {
  files: string[];
  parts: { uploadId: string; range: string }[];
} {
  const files: string[] = [];
  const parts: { uploadId: string; range: string }[] = [];
  for (const r of log) {
    if (r.operation === "UploadArchive" && r.status === 201 && r.description !== undefined) files.push(r.description);
    if (r.operation === "UploadMultipartPart" && r.status === 204 && r.range !== undefined)
      parts.push({ uploadId: r.path.split("/").at(-1)!, range: r.range });
  }
  return { files, parts };
}

/** Data requests sent (whatever their outcome): whole files by name, parts by name + range. */
export function sentUploads(
  log: readonly RequestLogEntry[],
  uploadName: (uploadId: string) => string | undefined,
): { files: string[]; parts: string[] } {
  const files: string[] = [];
  const parts: string[] = [];
  for (const r of log) {
    if (r.operation === "UploadArchive" && r.description !== undefined) files.push(r.description);
    if (r.operation === "UploadMultipartPart" && r.range !== undefined)
      parts.push(`${uploadName(r.path.split("/").at(-1)!) ?? "?"} ${r.range}`);
  }
  return { files, parts };
}
