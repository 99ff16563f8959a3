// Names that are not printable ASCII are stored reversibly; descriptions written by
// other tools (mt-aws-glacier, here uploaded by the AWS CLI as another client would) read as names.
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";

describe("archive names", () => {
  it(
    "keeps a non-ASCII name through upload, list and " + "another cache's sync, stored as an encoded description",
    async () => {
      const world = await cliWorld();
      await writeFile(join(world.dir, "f"), "contenu");
      await world.glacier(["vault", "create", "v"]);
      expect((await world.glacier(["archive", "upload", "--name", "Photos/été 2026.jpg", "v", "f"])).exitCode).toBe(0);
      expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("Photos/été 2026.jpg\n");
      const state = JSON.stringify(await world.emulator.control.dumpState());
      expect(state).toContain(`gcli1 ${Buffer.from("Photos/été 2026.jpg").toString("base64url")}`);
      await world.emulator.control.generateInventory("v");
      const other = { XDG_CACHE_HOME: join(world.dir, "other") };
      await world.glacier(["vault", "sync", "v"], { env: other });
      await world.glacier(["vault", "sync", "v"], { env: other });
      expect((await world.glacier(["archive", "list", "v"], { env: other })).stdout).toBe("Photos/été 2026.jpg\n");
    },
  );

  it("reads an mt-aws-glacier description uploaded by another client as the file name", async () => {
    const world = await cliWorld();
    await world.glacier(["vault", "create", "v"]);
    const description =
      `mt2 ` +
      Buffer.from(JSON.stringify({ mtime: "20121225T100000Z", filename: "dir/файл.txt" })).toString("base64url");
    await writeFile(join(world.dir, "body"), "from mtglacier");
    const aws = await execa(
      "aws",
      [
        "glacier",
        "upload-archive",
        "--account-id",
        "-",
        "--vault-name",
        "v",
        "--archive-description",
        description,
        "--body",
        "body",
        "--endpoint-url",
        world.emulator.url,
        "--region",
        "us-east-1",
      ],
      {
        cwd: world.dir,
        env: { ...world.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
        extendEnv: false,
        reject: false,
      },
    );
    expect(aws.exitCode).toBe(0);
    await world.emulator.control.generateInventory("v");
    await world.glacier(["vault", "sync", "v"]);
    const sync = await world.glacier(["vault", "sync", "v"]);
    expect(sync.exitCode).toBe(0);
    expect((await world.glacier(["archive", "list", "v"])).stdout).toBe("dir/файл.txt\n");
  });
});
