// The import rules of .dependency-cruiser.mjs (docs/architecture.md#layers) fail on the imports they
// forbid and pass the ones they allow: dependency-cruiser runs with the project's own config over a
// small tree written for the test, one file per case, and must report exactly the expected breaks.
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DEPCRUISE = join(ROOT, "node_modules/.bin/depcruise");

/** Each file of the tree and what it imports. */
const TREE: Record<string, string> = {
  // Allowed: the SDK adapters of the Glacier backend and of a plugin under src/backend/.
  "src/glacier/sdk.ts": `import { GlacierClient } from "@aws-sdk/client-glacier";\nexport const c = GlacierClient;\n`,
  "src/backend/s3/sdk.ts": `import { S3Client } from "@aws-sdk/client-s3";\nexport const c = S3Client;\n`,
  // Broken: the SDK outside an adapter, also one folder too deep and through a type-only import.
  "src/glacier/open.ts": `import { GlacierClient } from "@aws-sdk/client-glacier";\nexport const c = GlacierClient;\n`,
  "src/backend/s3/deep/sdk.ts": `import { S3Client } from "@aws-sdk/client-s3";\nexport const c = S3Client;\n`,
  "src/commands/shapes.ts": `import type { S3Client } from "@aws-sdk/client-s3";\nexport type C = S3Client;\n`,
  // Allowed: a unit test beside its source may import the SDK, and core may hash.
  "src/glacier/open.test.ts": `import { GlacierClient as C } from "@aws-sdk/client-glacier";\nexport const c = C;\n`,
  "src/core/hash.ts": `import { createHash } from "node:crypto";\nexport const h = createHash;\n`,
  // Allowed: core matching globs with picomatch's POSIX build. Broken: core using any other package,
  // reading files, importing another layer.
  "src/core/glob.ts": `import picomatch from "picomatch/posix.js";\nexport const g = picomatch;\n`,
  "src/core/argv.ts": `import { Command } from "commander";\nexport const c = Command;\n`,
  "src/core/read.ts": `import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n`,
  "src/core/up.ts": `import { x } from "../platform/tool.ts";\nexport const y = x;\n`,
  "src/platform/tool.ts": `export const x = 1;\n`,
  // Broken: the remote importing a command and the root; a command importing the remote.
  "src/annex/remote.ts":
    `import type { X } from "../commands/run.ts";\nimport { r } from "../runtime/root.ts";\n` +
    `export type Y = X;\nexport const s = r;\n`,
  "src/commands/run.ts": `export type X = number;\n`,
  "src/commands/uses-annex.ts": `import { q } from "../annex/quiet.ts";\nexport const y = q;\n`,
  "src/annex/quiet.ts": `export const q = 1;\n`,
  // Allowed: entry imports the root. Broken: anything importing entry; services importing runtime.
  "src/entry/main.ts": `import { r } from "../runtime/root.ts";\nexport const m = r;\n`,
  "src/runtime/root.ts": `export const r = 1;\n`,
  "src/services/back.ts":
    `import { m } from "../entry/main.ts";\nimport { r } from "../runtime/root.ts";\n` + `export const b = m + r;\n`,
  // Broken: platform importing the cache; the emulator importing the backend port.
  "src/platform/store.ts": `import { c } from "../cache/files.ts";\nexport const s = c;\n`,
  "src/cache/files.ts": `export const c = 1;\n`,
  "src/emulator/server.ts": `import type { Port } from "../glacier/port.ts";\nexport type S = Port;\n`,
  "src/glacier/port.ts": `export interface Port { name: string }\n`,
  // Broken: a cycle made of type-only imports (reported once, from where it was found).
  "src/cache/a.ts": `import type { B } from "./b.ts";\nexport interface A { b?: B }\n`,
  "src/cache/b.ts": `import type { A } from "./a.ts";\nexport interface B { a?: A }\n`,
};

const EXPECTED = [
  "annex-not-commands-or-runtime: src/annex/remote.ts -> src/commands/run.ts",
  "annex-not-commands-or-runtime: src/annex/remote.ts -> src/runtime/root.ts",
  "commands-not-annex-or-runtime: src/commands/uses-annex.ts -> src/annex/quiet.ts",
  "core-is-pure: src/core/argv.ts -> commander",
  "core-is-pure: src/core/read.ts -> fs",
  "core-is-pure: src/core/up.ts -> src/platform/tool.ts",
  "emulator-stands-alone: src/emulator/server.ts -> src/glacier/port.ts",
  "no-cycles: src/cache/a.ts -> src/cache/b.ts",
  "nothing-imports-entry: src/services/back.ts -> src/entry/main.ts",
  "platform-only-core-and-platform: src/platform/store.ts -> src/cache/files.ts",
  "runtime-only-from-entry: src/annex/remote.ts -> src/runtime/root.ts",
  "runtime-only-from-entry: src/services/back.ts -> src/runtime/root.ts",
  "sdk-only-in-adapters: src/backend/s3/deep/sdk.ts -> @aws-sdk/client-s3",
  "sdk-only-in-adapters: src/commands/shapes.ts -> @aws-sdk/client-s3",
  "sdk-only-in-adapters: src/glacier/open.ts -> @aws-sdk/client-glacier",
];

// .../node_modules/@aws-sdk/client-s3/dist-cjs/index.js -> @aws-sdk/client-s3, so the list reads like the imports.
const shortName = (to: string) => to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, "$1");

describe("import rules", () => {
  it("report every forbidden import by its rule's name and fail, and let the allowed ones pass", async () => {
    const dir = await tempDir("glacier-boundaries-");
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["src"] }),
    );
    for (const [path, text] of Object.entries(TREE)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const result = await execa(
      DEPCRUISE,
      ["src", "--config", join(ROOT, ".dependency-cruiser.mjs"), "--output-type", "err"],
      { cwd: dir, reject: false },
    );
    // "  error core-is-pure: src/core/read.ts → fs"; a cycle continues on the next lines.
    const found = [...result.stdout.matchAll(/error ([\w-]+): (\S+) →\s*(\S+)/g)]
      .map(([, rule, from, to]) => `${rule ?? ""}: ${from ?? ""} -> ${shortName(to ?? "")}`)
      .sort();
    expect(found).toEqual(EXPECTED);
    // depcruise exits with the number of errors: npm test fails.
    expect(result.exitCode).toBe(EXPECTED.length);
  });
});
