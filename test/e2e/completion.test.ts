// `glacier completion bash|zsh|fish`: the generated bash script, loaded by a real bash, completes
// command words, options and the vault names of the archive cache.
import { execa } from "execa";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWorld } from "../helpers/cli-env.ts";
import { ROOT } from "../helpers/run-bin.ts";

// COMP_WORDS as bash sets them for the words typed so far (the last one being completed).
const complete = (words: string[]) =>
  `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); ` +
  `_glacier; echo "\${COMPREPLY[*]}"`;

describe("glacier completion", () => {
  it("prints a bash script that completes commands, options and the cached vault names", async () => {
    const world = await cliWorld();
    const bin = join(world.dir, "bin");
    await mkdir(bin);
    await symlink(`${ROOT}bin/glacier.js`, join(bin, "glacier"));
    await writeFile(join(world.dir, "f"), "x");
    for (const vault of ["photos", "papers", "music"]) {
      expect((await world.glacier(["vault", "create", vault])).exitCode).toBe(0);
      expect((await world.glacier(["archive", "upload", vault, "f"])).exitCode).toBe(0);
    }
    const generated = await world.glacier(["completion", "bash"]);
    expect(generated.exitCode).toBe(0);
    await writeFile(join(world.dir, "glacier.bash"), generated.stdout);
    const script = [
      "source glacier.bash",
      "complete -p glacier glacier-cli",
      complete(["glacier", ""]),
      complete(["glacier", "arc"]),
      complete(["glacier", "archive", "multi"]),
      complete(["glacier", "vault", "restore", "--m"]),
      complete(["glacier", "archive", "list", "p"]),
      complete(["glacier", "--region", "us-east-1", "vault", "sync", ""]),
      complete(["glacier", "completion", ""]),
      'compgen -W "$(glacier completion --vaults)" -- m',
    ].join("\n");
    const result = await execa("bash", ["-c", script], {
      cwd: world.dir,
      env: { ...world.env, PATH: `${bin}:${world.env["PATH"]}` },
      extendEnv: false,
      reject: false,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      "complete -o filenames -F _glacier glacier",
      "complete -o filenames -F _glacier glacier-cli",
      "treehash vault archive job annex-migrate completion " +
        "--region --endpoint-url --profile --cache-dir --debug --version --help",
      "archive",
      "multi-upload multi-delete",
      "--manifest --multipart-size",
      "papers photos",
      "music papers photos",
      "bash zsh fish",
      "music",
    ]);
  });

  it("prints zsh and fish scripts and refuses an unknown shell as a usage error", async () => {
    const world = await cliWorld();
    const zsh = await world.glacier(["completion", "zsh"]);
    expect(zsh.exitCode).toBe(0);
    const header = /^#compdef glacier glacier-cli\nautoload -U \+X bashcompinit && bashcompinit\n/.source;
    expect(zsh.stdout).toMatch(new RegExp(header + /# glacier shell completion for bash/.source));
    const fish = await world.glacier(["completion", "fish"]);
    expect(fish.exitCode).toBe(0);
    expect(fish.stdout).toContain(
      "complete -c glacier -c glacier-cli -f -n '__fish_seen_subcommand_from vault; and not " +
        "__fish_seen_subcommand_from list create delete sync reconcile prune snapshots restore migrate' -a restore -d",
    );
    expect(fish.stdout).toContain("-l prefix -r -d");
    expect(fish.stdout).toContain("-a '(glacier completion --vaults 2>/dev/null)'");
    expect(await world.glacier(["completion", "tcsh"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr:
        "glacier: unknown shell 'tcsh': expected one of bash, zsh, fish\nglacier: try 'glacier completion --help'\n",
    });
  });
});
