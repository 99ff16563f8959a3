import { describe, expect, it } from "vitest";
import { cachedArchive } from "../../test/helpers/cached-archive.ts";
import { ConsoleError } from "./errors.ts";
import { decodeManifest, encodeManifest, snapshotManifest, type Manifest } from "./manifest.ts";
import { isManifestName, manifestName } from "./manifest-name.ts";
import type { CachedArchive } from "./types.ts";

const T = Date.UTC(2026, 5, 1, 12);
const hashA = "a".repeat(64);
const hashB = "b".repeat(64);
const manifest: Manifest = {
  vault: "tm",
  prefix: "mac/",
  createdAt: T,
  entries: [
    { name: "mac/token", archiveId: "id-token", size: 0, treeHash: hashB, time: T - 1000 },
    { name: "mac/bands/0", archiveId: "id-0", size: 8388608, treeHash: hashA, time: T - 86_400_000 },
  ],
  nodes: [],
};
const TEXT =
  [
    `{"format":"glacier-cli-manifest","version":1,"vault":"tm","prefix":"mac/",` +
      `"createdAt":"2026-06-01T12:00:00.000Z","entries":2}`,
    `{"name":"mac/bands/0","archiveId":"id-0","size":8388608,"treeHash":"${hashA}","time":"2026-05-31T12:00:00.000Z"}`,
    `{"name":"mac/token","archiveId":"id-token","size":0,"treeHash":"${hashB}","time":"2026-06-01T11:59:59.000Z"}`,
  ].join("\n") + "\n";

const tree: Manifest = {
  vault: "tm",
  prefix: "mac/",
  createdAt: T,
  entries: [
    {
      name: "mac/bands/0",
      archiveId: "id-0",
      size: 8,
      treeHash: hashA,
      time: T,
      meta: { mode: 0o640, mtime: T - 0.5 },
    },
  ],
  nodes: [
    { kind: "symlink", name: "mac/current", target: "bands/0", mtime: T - 3 },
    { kind: "empty", name: "mac/token", mode: 0o600, mtime: T - 2 },
    { kind: "dir", name: "mac/bands", mode: 0o755, mtime: T - 1 },
    { kind: "dir", name: "mac/empty", mode: 0o700, mtime: T - 1 },
  ],
};
const TREE_TEXT =
  [
    `{"format":"glacier-cli-manifest","version":2,"vault":"tm","prefix":"mac/",` +
      `"createdAt":"2026-06-01T12:00:00.000Z","entries":5}`,
    `{"kind":"dir","name":"mac/bands","mode":493,"mtime":${T - 1}}`,
    `{"name":"mac/bands/0","archiveId":"id-0","size":8,"treeHash":"${hashA}` +
      `","time":"2026-06-01T12:00:00.000Z","mode":416,"mtime":${T - 0.5}}`,
    `{"kind":"symlink","name":"mac/current","target":"bands/0","mtime":${T - 3}}`,
    `{"kind":"dir","name":"mac/empty","mode":448,"mtime":${T - 1}}`,
    `{"kind":"empty","name":"mac/token","mode":384,"mtime":${T - 2}}`,
  ].join("\n") + "\n";

describe("manifest", () => {
  it("encodes a header line and one line per archive, folder, empty file and symbolic link, sorted by name", () => {
    expect(encodeManifest(tree)).toBe(TREE_TEXT);
    expect(encodeManifest(manifest)).toBe(TEXT.replace(`"version":1`, `"version":2`));
  });

  it("decodes the tree it encodes: folders, empty files, links, modes and mtimes", () => {
    const decoded = decodeManifest(TREE_TEXT, "m");
    expect(decoded.entries).toEqual(tree.entries);
    expect(decoded.nodes).toEqual([tree.nodes[2], tree.nodes[0], tree.nodes[3], tree.nodes[1]]);
  });

  it("refuses a tree line of an unknown kind or without a mode, naming the line", () => {
    const bad = TREE_TEXT.replace(`"kind":"empty"`, `"kind":"fifo"`);
    expect(() => decodeManifest(bad, "m")).toThrow(
      "m: not a manifest: line 6: kind must be one of dir, empty, symlink",
    );
    const noMode = TREE_TEXT.replace(`"mode":493,`, "");
    expect(() => decodeManifest(noMode, "m")).toThrow(
      "m: not a manifest: line 2: mode must be a whole number from 0 to 4095",
    );
  });

  it("decodes a version 1 manifest (archives only, no modes or mtimes), from text or bytes", () => {
    const sorted = { ...manifest, entries: [manifest.entries[1]!, manifest.entries[0]!] };
    expect(decodeManifest(TEXT, "m")).toEqual(sorted);
    expect(decodeManifest(new TextEncoder().encode(TEXT), "m")).toEqual(sorted);
    expect(decodeManifest(TEXT.slice(0, -1), "m")).toEqual(sorted);
  });

  it("round-trips an empty snapshot", () => {
    const empty: Manifest = { vault: "v", prefix: "", createdAt: T, entries: [], nodes: [] };
    expect(decodeManifest(encodeManifest(empty), "m")).toEqual(empty);
  });

  it("snapshots the newest live archive per name and sets apart archives it cannot describe exactly", () => {
    const row = (id: string, name: string, over: Partial<CachedArchive> = {}) =>
      cachedArchive(id, name, { vault: "tm", treeHash: hashA, size: 5, creationDate: T - 10, ...over });
    const { manifest: m, incomplete } = snapshotManifest(
      [
        row("old", "mac/a", { creationDate: T - 20 }),
        row("new", "mac/a"),
        row("nohash", "mac/b", { treeHash: null }),
        row("other", "pc/a"),
        row("m", manifestName("mac/", T)),
      ],
      "tm",
      "mac/",
      T,
    );
    expect(m).toEqual({
      vault: "tm",
      prefix: "mac/",
      createdAt: T,
      entries: [{ name: "mac/a", archiveId: "new", size: 5, treeHash: hashA, time: T - 10 }],
      nodes: [],
    });
    expect(incomplete.map((a) => a.id)).toEqual(["nohash"]);
  });

  it("names manifest archives in a hidden folder by prefix and UTC time", () => {
    expect(manifestName("mac/", T)).toBe(".glacier-manifest/mac/20260601T120000Z.jsonl");
    expect(manifestName("", T)).toBe(".glacier-manifest/20260601T120000Z.jsonl");
    expect(isManifestName(manifestName("", T))).toBe(true);
    expect(isManifestName("mac/bands/0")).toBe(false);
  });
});

describe("malformed manifests", () => {
  const [header, line0, lineToken] = TEXT.split("\n") as [string, string, string];
  const withHeader = (change: Record<string, unknown>) =>
    [JSON.stringify({ ...JSON.parse(header), ...change }), line0, lineToken].join("\n");
  const withEntry = (change: Record<string, unknown>) =>
    [header, JSON.stringify({ ...JSON.parse(line0), ...change }), lineToken].join("\n");

  it.each<[string, string | Uint8Array, string]>([
    ["empty", "", "empty"],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "not UTF-8 text"],
    ["not JSON", "manifest\n", "line 1 is not JSON"],
    ["an array", "[]\n", "line 1 is not a JSON object"],
    ["another format", withHeader({ format: "mt-aws-glacier" }), `line 1: format must be "glacier-cli-manifest"`],
    [
      "a newer version",
      withHeader({ version: 3 }),
      "format version 3 is newer than this glacier-cli reads (2); upgrade glacier-cli",
    ],
    ["a fractional version", withHeader({ version: 1.5 }), "line 1: version must be a whole number >= 1"],
    ["no vault", withHeader({ vault: "" }), "line 1: vault must be a non-empty string"],
    ["a prefix that climbs", withHeader({ prefix: "../" }), `line 1: prefix "../" is not a relative folder path`],
    ["a prefix without its slash", withHeader({ prefix: "mac" }), `line 1: prefix "mac" must end in "/"`],
    [
      "a local time",
      withHeader({ createdAt: "2026-06-01 12:00" }),
      "line 1: createdAt must be a UTC time like 2026-06-01T12:00:00.000Z",
    ],
    [
      "an impossible date",
      withHeader({ createdAt: "2026-13-45T00:00:00Z" }),
      "line 1: createdAt must be a UTC time like 2026-06-01T12:00:00.000Z",
    ],
    [
      "a truncated list",
      [header, line0].join("\n"),
      "the header announces 2 entries but 1 follow (truncated or edited)",
    ],
    [
      "a blank line",
      [header, line0, "", lineToken].join("\n"),
      "the header announces 2 entries but 3 follow (truncated or edited)",
    ],
    [
      "a name outside the prefix",
      withEntry({ name: "pc/bands/0" }),
      `line 2: name "pc/bands/0" is not under the prefix "mac/"`,
    ],
    ["a name twice", [header, line0, line0].join("\n"), `line 3: name "mac/bands/0" appears twice`],
    ["unsorted names", [header, lineToken, line0].join("\n"), "line 3: names are not sorted"],
    ["no archive id", withEntry({ archiveId: null }), "line 2: archiveId must be a non-empty string"],
    ["a negative size", withEntry({ size: -1 }), "line 2: size must be a whole number >= 0"],
    ["a size as text", withEntry({ size: "8388608" }), "line 2: size must be a whole number >= 0"],
    [
      "an upper-case hash",
      withEntry({ treeHash: hashA.toUpperCase() }),
      "line 2: treeHash must be 64 lower-case hex digits",
    ],
    ["a short hash", withEntry({ treeHash: "abc" }), "line 2: treeHash must be 64 lower-case hex digits"],
    ["no time", withEntry({ time: undefined }), "line 2: time must be a UTC time like 2026-06-01T12:00:00.000Z"],
  ])("refuses %s with one clear error", (_what, data, why) => {
    expect(() => decodeManifest(data, "snap.jsonl")).toThrow(new ConsoleError(`snap.jsonl: not a manifest: ${why}`));
  });
});
