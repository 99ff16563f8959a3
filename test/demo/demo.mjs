// `npm run demo`: the README's main job. Runs the built `glacier` on the embedded emulator
// (local:DIR, no AWS account) through a full cycle a user would do, and checks every byte.
import { execFileSync, spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const glacierBin = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "glacier-demo-"));
const env = { ...process.env, XDG_CACHE_HOME: join(work, "cache"), AWS_ENDPOINT_URL_GLACIER: `local:${join(work, "vaults")}` };

function glacier(...args) {
  const shown = `glacier ${args.join(" ")}`;
  const result = spawnSync(process.execPath, [glacierBin, ...args], { cwd: work, env, encoding: "buffer" });
  console.log(`$ ${shown}  -> exit ${result.status}`);
  const err = result.stderr.toString();
  if (err) process.stdout.write(indent(err));
  return result;
}

function indent(text) {
  return `${text.replace(/\n$/, "").replace(/^/gm, "    ")}\n`;
}

function expectExit(result, code) {
  if (result.status !== code) throw new Error(`expected exit ${code}, got ${result.status}`);
  return result;
}

console.log(`working in ${work} (emulator data: local:${join(work, "vaults")})\n`);
const content = Buffer.alloc(24 * 1024 * 1024 + 12345);
randomFillSync(content);
writeFileSync(join(work, "backup.img"), content);

expectExit(glacier("vault", "create", "demo"), 0);
expectExit(glacier("archive", "upload", "demo", "backup.img"), 0);
const list = expectExit(glacier("archive", "list", "--with-hash", "demo"), 0).stdout.toString();
process.stdout.write(indent(list));
const tree = execFileSync(process.execPath, [glacierBin, "treehash", join(work, "backup.img")]).toString().split(" ")[0];
if (!list.includes(tree)) throw new Error("the cached tree hash differs from the file's");
expectExit(glacier("archive", "retrieve", "-o", "restored.img", "demo", "backup.img"), 75);
expectExit(glacier("archive", "retrieve", "-o", "restored.img", "demo", "backup.img"), 0);
const same = Buffer.compare(readFileSync(join(work, "restored.img")), content) === 0;
console.log(`\nrestored ${content.length} bytes: ${same ? "identical to the original" : "DIFFERENT"}`);
if (!process.env.DEMO_KEEP) rmSync(work, { recursive: true, force: true });
process.exitCode = same ? 0 : 1;
