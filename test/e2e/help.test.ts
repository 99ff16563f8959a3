// The top-level help tells a newcomer where requests go and what the exit codes mean.
import { describe, expect, it } from "vitest";
import { runGlacier } from "../helpers/run-bin.ts";

describe("glacier --help", () => {
  it("lists every command group and names the endpoint variables, local:DIR and exit code 75", async () => {
    const help = await runGlacier(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stderr).toBe("");
    for (const word of ["treehash", "vault", "archive", "job", "completion"])
      expect(help.stdout).toMatch(new RegExp(`^  ${word}\\b`, "m"));
    expect(help.stdout).toContain("AWS_ENDPOINT_URL_GLACIER");
    expect(help.stdout).toContain("local:DIR runs a Glacier and S3 emulator inside the\ncommand");
    expect(help.stdout).toContain("s3://BUCKET[/PREFIX]");
    expect(help.stdout).toMatch(/^75 a Glacier job is queued or still in progress: run the same command again later/m);
  });

  it("lists the backup commands under their groups", async () => {
    expect((await runGlacier(["archive", "--help"])).stdout).toMatch(/multi-upload[\s\S]*multi-delete/);
    expect((await runGlacier(["vault", "--help"])).stdout).toMatch(/reconcile[\s\S]*restore/);
  });
});
