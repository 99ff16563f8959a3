// The README's worked example of a nightly sparsebundle backup to DEEP_ARCHIVE, run as written
// against the emulator's S3 API: its shell blocks are read from README.md, the two paths replaced by
// temporary folders, `glacier` run from dist/ and `aws` (the AWS CLI) pointed at the emulator.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";
import { ROOT } from "../helpers/run-bin.ts";
import { awsCli } from "../helpers/tools.ts";

const SECTION = "### Worked example: a nightly sparsebundle backup to DEEP_ARCHIVE";

/** The commands of each ```sh block of the README's worked example, one array of words per line. */
async function exampleBlocks(): Promise<string[][][]> {
  const readme = await readFile(`${ROOT}README.md`, "utf8");
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const end = readme.indexOf("\n## ", start);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? "")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => line.trim().split(/\s+/)),
  );
}

describe("the README's backup to DEEP_ARCHIVE", () => {
  it("backs up nightly to a versioned bucket and restores: exit 75, then 0 with every band verified", async () => {
    const w = await cliWorld();
    const source = join(w.dir, "Backup.sparsebundle");
    const target = join(w.dir, "Restore", "Backup.sparsebundle");
    await mkdir(join(source, "bands"), { recursive: true });
    await writeFile(join(source, "Info.plist"), "<plist/>");
    for (let i = 0; i < 6; i++) await writeFile(join(source, "bands", i.toString(16)), randomBytes(300_000 + i));
    const env = { AWS_ENDPOINT_URL_S3: w.emulator.url };
    const run = async (words: string[]) => {
      const args = words.map((word) =>
        word === "/Volumes/TM/Backup.sparsebundle"
          ? source
          : word === "/Volumes/Restore/Backup.sparsebundle"
            ? target
            : word,
      );
      if (args[0] === "glacier") return w.glacier(args.slice(1), { env });
      if (args[0] !== "aws")
        throw new Error(`the README example runs ${String(args[0])}, which this test does not know`);
      const result = await execa(await awsCli(), [...args.slice(1), "--endpoint-url", w.emulator.url], {
        env: { ...w.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" },
        reject: false,
      });
      return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
    const blocks = await exampleBlocks();
    expect(blocks.map((b) => b.map((words) => words.slice(0, 3).join(" ")))).toEqual([
      ["glacier vault create", "aws s3api put-bucket-versioning"],
      ["glacier --storage-class DEEP_ARCHIVE"],
      ["glacier vault restore"],
    ]);
    const [setup = [], nightly = [], restore = []] = blocks;
    for (const words of setup) expect(await run(words), words.join(" ")).toMatchObject({ exitCode: 0 });
    expect(await run(nightly[0] ?? [])).toMatchObject({ exitCode: 0 });

    // The next night: one band changed, one removed.
    await w.emulator.control.advanceClock(24 * 3600);
    await writeFile(join(source, "bands", "1"), randomBytes(300_001));
    await rm(join(source, "bands", "5"));
    const second = await run(nightly[0] ?? []);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/reconciled: 1 uploaded, 2 old versions superseded, 0 deleted, 2 kept/);

    // The versioned bucket keeps the band's old version (and the removed band) as S3 versions.
    const versions = await run([
      "aws",
      "s3api",
      "list-object-versions",
      "--bucket",
      "my-backups",
      "--prefix",
      "tm/bands/",
    ]);
    const listed = JSON.parse(versions.stdout) as { Versions: { Key: string; IsLatest: boolean }[] };
    expect(listed.Versions.filter((v) => v.Key === "tm/bands/1").map((v) => v.IsLatest)).toEqual([true, false]);
    expect(listed.Versions.filter((v) => v.Key === "tm/bands/5")).toHaveLength(1);

    const first = await run(restore[0] ?? []);
    expect(first.exitCode, first.stderr).toBe(75);
    // DEEP_ARCHIVE Standard: up to 12 hours.
    await w.emulator.control.advanceClock(12 * 3600);
    const done = await run(restore[0] ?? []);
    expect(done.exitCode, done.stderr).toBe(0);
    for (const name of ["Info.plist", "bands/0", "bands/1", "bands/2", "bands/3", "bands/4"])
      expect((await readFile(join(target, name))).equals(await readFile(join(source, name))), name).toBe(true);
  }, 180_000);
});
