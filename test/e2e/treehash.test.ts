import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGlacier } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const MiB = 1024 * 1024;
const pattern = (length: number, mod: number) => Uint8Array.from({ length }, (_, k) => k % mod);

describe("glacier treehash", () => {
  it("prints sha256sum-style lines in argument order and reads - from stdin", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.bin"), pattern(3 * MiB + 5, 256));
    await writeFile(join(dir, "b.bin"), pattern(5.5 * MiB, 251));
    const result = await runGlacier(["treehash", "a.bin", "b.bin", "-"], { cwd: dir, input: "a" });
    expect(result).toEqual({
      exitCode: 0,
      stderr: "",
      stdout:
        "3a40c480b40f7bb85bf09feb4f90c63207c26a9aa101b0c611aa2ad9464e97c9  a.bin\n" +
        "3493387cee361be12e24da9c024bf3e2a55f81df464f6ae822209f79a92248f5  b.bin\n" +
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  -\n",
    });
  });

  it("hashes a file larger than one worker piece the same as its published vector would fold", async () => {
    const dir = await tempDir();
    // 300 MiB + 3 bytes of zeros spans three 128 MiB pieces hashed on different workers.
    const size = 300 * MiB + 3;
    await writeFile(join(dir, "big"), new Uint8Array(size));
    const { createHash } = await import("node:crypto");
    const zeroMiB = createHash("sha256").update(new Uint8Array(MiB)).digest();
    const tail = createHash("sha256").update(new Uint8Array(3)).digest();
    const { foldHashes } = await import("../../src/core/tree-hash.ts");
    const expected = foldHashes([...Array.from({ length: 300 }, () => zeroMiB), tail]).toString("hex");
    const result = await runGlacier(["treehash", "--json", "big"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: "big", size, treeHash: expected });
  });

  it("reports an unreadable file on stderr, prints the others and exits 1", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "ok"), "a");
    const result = await runGlacier(["treehash", "missing", "ok", "."], { cwd: dir });
    expect(result).toEqual({
      exitCode: 1,
      stdout: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  ok\n",
      stderr: "glacier: missing: No such file or directory\nglacier: .: Is a directory\n",
    });
  });

  it("escapes a file name with a newline the way sha256sum does", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "two\nlines"), "a");
    const result = await runGlacier(["treehash", "two\nlines"], { cwd: dir });
    expect(result.stdout).toBe("\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  two\\nlines\n");
  });
});

describe("glacier command line", () => {
  it("rejects an unknown option with one line on stderr and exit 2", async () => {
    const result = await runGlacier(["treehash", "--bogus", "x"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("glacier: unknown option '--bogus'\n");
  });

  it("rejects a missing argument with exit 2", async () => {
    const result = await runGlacier(["treehash"]);
    expect(result).toEqual({ exitCode: 2, stdout: "", stderr: "glacier: missing required argument 'file'\n" });
  });

  it("prints help on stdout with exit 0", async () => {
    const result = await runGlacier(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("treehash");
    expect(result.stderr).toBe("");
  });
});
