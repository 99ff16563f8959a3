// Downloads from s3:// addresses checked part by part (docs/backends.md#restores): an object uploaded
// in parts is read by part number, each part checked against the SHA-256 S3 keeps for it, so a part
// corrupted in transit is fetched again instead of failing the whole download at the end; an object
// from one PutObject is read whole and checked against its SHA-256. The built `glacier` against the
// emulator, whose `corrupt` fault flips one byte of an answer and keeps its checksum header.
import { randomBytes } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld, type CliWorld } from "../helpers/cli-env.ts";

const MiB = 1024 * 1024;

async function s3World(): Promise<CliWorld> {
  const world = await cliWorld();
  world.env.AWS_ENDPOINT_URL_S3 = world.emulator.url;
  return world;
}

const gets = (w: CliWorld) =>
  w.emulator.control
    .requestLog()
    .filter((r) => r.operation === "GetObject")
    .map((r) => ({ part: r.part ?? "whole", faults: r.faults }));

async function upload(w: CliWorld, data: Buffer, partSize: number): Promise<void> {
  await writeFile(join(w.dir, "data.bin"), data);
  expect((await w.glacier(["vault", "create", "s3://parts"])).exitCode).toBe(0);
  const args = ["--storage-class", "STANDARD", "archive", "upload", "--part-size", String(partSize)];
  expect(await w.glacier([...args, "s3://parts", "data.bin"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
}

describe("verified parts on s3:// downloads", () => {
  it("reads a multipart object by part and fetches again only the part that arrived corrupted", async () => {
    const w = await s3World();
    const data = randomBytes(20 * MiB + 4321);
    await upload(w, data, 8 * MiB);
    w.emulator.control.setFaults("corrupt,op=GetObject,nth=2");
    const retrieve = ["archive", "retrieve", "--multipart-size", "1048576", "-o", "back.bin", "s3://parts", "data.bin"];
    expect(await w.glacier(retrieve)).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await readFile(join(w.dir, "back.bin"))).equals(data)).toBe(true);
    // Three parts of 8 MiB whatever --multipart-size says; the corrupted one (the second answered) once more.
    const log = gets(w);
    expect(log.filter((g) => g.faults.length > 0)).toEqual([{ part: log[1]!.part, faults: ["corrupt"] }]);
    const parts = log.map((g) => g.part);
    expect(parts.filter((p) => p === log[1]!.part)).toHaveLength(2);
    expect(parts.sort()).toEqual(["1", "2", "3", log[1]!.part].sort());
  });

  it("reads an object from one PutObject whole, fetching it again when it arrived corrupted", async () => {
    const w = await s3World();
    const data = randomBytes(12 * MiB + 5);
    await upload(w, data, 16 * MiB);
    w.emulator.control.setFaults("corrupt,op=GetObject,nth=1");
    expect(await w.glacier(["archive", "retrieve", "-o", "-", "s3://parts", "data.bin"])).toMatchObject({
      exitCode: 0,
      stderr: "",
    });
    const back = await w.glacier(["archive", "retrieve", "-o", "back.bin", "s3://parts", "data.bin"]);
    expect(back).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect((await readFile(join(w.dir, "back.bin"))).equals(data)).toBe(true);
    expect(gets(w).map((g) => [g.part, g.faults.length > 0])).toEqual([
      ["whole", true],
      ["whole", false],
      ["whole", false],
    ]);
  });

  it("fails with one line and keeps nothing when a part arrives corrupted every time", async () => {
    const w = await s3World();
    const data = randomBytes(9 * MiB);
    await upload(w, data, 8 * MiB);
    w.emulator.control.setFaults("corrupt,op=GetObject");
    const result = await w.glacier(["archive", "retrieve", "-o", "back.bin", "s3://parts", "data.bin"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(
        "^glacier: checksum mismatch for bytes \\d+-\\d+ of job restore:data\\.bin\\S+: the service says SHA-256 " +
          "[0-9a-f]{64}, the bytes received hash to [0-9a-f]{64} \\(gave up after 4 attempts\\)\n$",
      ),
    );
    expect(await readdir(w.dir)).not.toContain("back.bin");
  });
});
