// Installing as the README says: a copy of the checkout without dist/ is packed (the prepare script
// builds dist/), the tarball is installed into a temporary prefix with `npm install -g --prefix`,
// and the README's git-annex commands are run exactly as written with only that prefix, node and
// the system on PATH.
import { execa } from "execa";
import { cp, mkdir, readFile, readdir, symlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-bin.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** The shell block between the README's install-test markers. */
async function readmeCommands(): Promise<string> {
  const readme = await readFile(`${ROOT}README.md`, "utf8");
  const block = /<!-- install-test:begin -->\n```sh\n([\s\S]*?)```\n<!-- install-test:end -->/.exec(readme);
  if (!block) throw new Error("README.md has no install-test block");
  return block[1]!;
}

/** Environment variables npm needs to reach the registry from behind a proxy or a private certificate authority. */
const REGISTRY_ACCESS = [
  "NODE_EXTRA_CA_CERTS",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
  "https_proxy",
  "http_proxy",
  "no_proxy",
  "npm_config_cafile",
  "npm_config_registry",
];

describe("installing the package", () => {
  it(
    "packs a fresh checkout, installs the tarball into a prefix and runs the README's git-annex commands as " +
      "written",
    async () => {
      const root = await tempDir("glacier-install-");
      const checkout = join(root, "checkout");
      await mkdir(checkout);
      // What a clone holds (no dist/); node_modules as `npm ci` leaves it.
      for (const entry of [
        "bin",
        "src",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "tsup.config.ts",
        "README.md",
      ]) {
        await cp(`${ROOT}${entry}`, join(checkout, entry), { recursive: true });
      }
      await symlink(`${ROOT}node_modules`, join(checkout, "node_modules"));
      // npm's own cache (filled by `npm ci`): dependencies come from it, the registry only for what it lacks.
      const npmEnv = {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        HOME: process.env["HOME"] ?? homedir(),
        npm_config_cache: join(process.env["HOME"] ?? homedir(), ".npm"),
        npm_config_update_notifier: "false",
        // How this machine reaches the registry (a proxy, its certificate authority), when it is set.
        ...Object.fromEntries(
          REGISTRY_ACCESS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
        ),
      };
      const packed = await execa("npm", ["pack", "--json", "--pack-destination", root], {
        cwd: checkout,
        env: npmEnv,
        extendEnv: false,
        reject: false,
      });
      expect(packed.exitCode, packed.stderr).toBe(0);
      const tarball = join(root, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
      const packedFiles = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
      expect(packedFiles).toEqual(
        expect.arrayContaining([
          "bin/glacier.js",
          "dist/glacier.js",
          "dist/glacier-emulator.js",
          "dist/git-annex-remote-glacier.js",
          "dist/hash-worker.js",
        ]),
      );

      const prefix = join(root, "prefix");
      const installed = await execa(
        "npm",
        ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
        { cwd: root, env: npmEnv, extendEnv: false, reject: false },
      );
      expect(installed.exitCode, installed.stderr).toBe(0);
      expect((await readdir(join(prefix, "bin"))).sort()).toEqual([
        "git-annex-remote-glacier",
        "glacier",
        "glacier-cli",
        "glacier-emulator",
      ]);

      const home = join(root, "home");
      await mkdir(home);
      const userEnv = {
        PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
        HOME: home,
        LANG: "C.UTF-8",
        GIT_AUTHOR_NAME: "new user",
        GIT_AUTHOR_EMAIL: "new@example.org",
        GIT_COMMITTER_NAME: "new user",
        GIT_COMMITTER_EMAIL: "new@example.org",
      };
      const which = await execa(
        "sh",
        ["-c", "for b in glacier glacier-cli glacier-emulator git-annex-remote-glacier; do command -v $b; done"],
        { env: userEnv, extendEnv: false },
      );
      expect(which.stdout.split("\n")).toEqual(
        ["glacier", "glacier-cli", "glacier-emulator", "git-annex-remote-glacier"].map((b) => join(prefix, "bin", b)),
      );
      const result = await execa("bash", ["-e", "-c", await readmeCommands()], {
        cwd: home,
        env: userEnv,
        extendEnv: false,
        reject: false,
        all: true,
      });
      expect(result.exitCode, result.all).toBe(0);
      expect(result.stdout.split("\n").at(-1)).toBe("a day at the beach");
      expect((await readdir(join(home, "glacier-vaults", "archives"))).length).toBeGreaterThan(0);
      const version = await execa("glacier", ["--version"], { env: userEnv, extendEnv: false });
      expect(version.stdout).toBe("0.1.0");
    },
    300_000,
  );
});
