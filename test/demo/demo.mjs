// `npm run demo`: the README's main job. Runs the built `glacier` on the embedded
// emulator (local:DIR, no AWS account) through the backup cycle of a Time Machine sparsebundle:
//   1. build a synthetic sparsebundle (Info.plist, Info.bckup, token, bands/ of 8 MiB bands, some of
//      them sparse files that are mostly zeros);
//   2. `archive multi-upload` it;
//   3. change some bands in place, add bands, remove bands (what Time Machine does between backups);
//   4. `vault reconcile --commit --delete-removed --manifest` (uploads new and changed bands, keeps
//      the replaced and removed archives as old versions, records the snapshot in a manifest archive);
//   5. `vault restore --manifest NAME` into a fresh folder (on Glacier: exit 75 while the
//      retrieval jobs are pending, run it again), and a plain `vault restore` of the latest state into another, then
//      compare both with the sparsebundle: names, types, bytes, link targets, modes, mtimes and
//      allocated blocks (test/helpers/tree-compare.mjs; the sparse bands must come back sparse).
// Prints a summary; exits non-zero on any mismatch or unexpected exit code.
// Settings (for tests): DEMO_BANDS (default 48), DEMO_BAND_BYTES (default 8 MiB), DEMO_KEEP=1 keeps
// the working folder, DEMO_TAMPER=1 damages one restored band before the comparison (to show that
// the comparison catches it).
import { spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  symlinkSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { allocatedBytes, compareTrees, describeTree } from "../helpers/tree-compare.mjs";

const MiB = 1024 * 1024;
const BANDS = positive("DEMO_BANDS", 48);
const BAND = positive("DEMO_BAND_BYTES", 8 * MiB);
const glacierBin = fileURLToPath(new URL("../../bin/glacier.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "glacier-demo-"));
const vaults = join(work, "vaults");
const bundle = join(work, "Backup.sparsebundle");
const restored = join(work, "restored.sparsebundle");
const latest = join(work, "latest.sparsebundle");
const env = {
  ...process.env,
  XDG_CACHE_HOME: join(work, "cache"),
  AWS_ENDPOINT_URL_GLACIER: `local:${vaults}`,
  GLACIER_POLL_SECONDS: "1",
};
const steps = [];

function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

function glacier(...args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [glacierBin, ...args], {
    cwd: work,
    env,
    encoding: "utf8",
    maxBuffer: 64 * MiB,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`$ glacier ${args.join(" ")}  -> exit ${result.status} (${seconds.toFixed(1)} s)`);
  const err = result.stderr.replace(/\n$/, "");
  // The per-file lines of a big run say nothing new: show the first few and the totals.
  const lines = err === "" ? [] : err.split("\n");
  const perFile = /^glacier: info: (uploaded archive|restored) /;
  let shown = 0;
  let hidden = 0;
  for (const line of [...lines, undefined]) {
    const isPerFile = line !== undefined && perFile.test(line);
    if (isPerFile && ++shown > 3) {
      hidden++;
      continue;
    }
    if (!isPerFile && hidden > 0) {
      console.log(`    ... (${hidden} more lines like these)`);
      hidden = 0;
      shown = 0;
    }
    if (line !== undefined) console.log(`    ${line}`);
  }
  return { ...result, seconds };
}

function expectExit(result, ...codes) {
  if (!codes.includes(result.status))
    throw new Error(
      `expected exit ${codes.join(" or ")}, got ${result.status}: ${result.stderr.trim().split("\n").at(-1)}`,
    );
  return result;
}

const bandName = (n) => n.toString(16); // Time Machine names bands in lowercase hexadecimal

/** A band of random bytes, or (sparse) a hole with a few random 4 KiB blocks, as a sparse file. */
function writeBand(n, sparse) {
  const path = join(bundle, "bands", bandName(n));
  const fd = openSync(path, "w");
  try {
    if (sparse) {
      ftruncateSync(fd, BAND);
      const block = Buffer.alloc(Math.min(4096, BAND));
      for (let i = 0; i < 4; i++) {
        randomFillSync(block);
        writeSync(fd, block, 0, block.length, Math.floor(((BAND - block.length) * i) / 4));
      }
    } else {
      const chunk = Buffer.alloc(Math.min(BAND, 8 * MiB));
      for (let done = 0; done < BAND; done += chunk.length) {
        randomFillSync(chunk);
        writeSync(fd, chunk, 0, Math.min(chunk.length, BAND - done));
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Changes a few bytes of a band in place, as a disk write inside the disk image does. */
function touchBand(n) {
  const fd = openSync(join(bundle, "bands", bandName(n)), "r+");
  try {
    writeSync(fd, randomFillSync(Buffer.alloc(512)), 0, 512, Math.floor(BAND / 3));
  } finally {
    closeSync(fd);
  }
}

function infoPlist() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleInfoDictionaryVersion</key>
	<string>6.0</string>
	<key>band-size</key>
	<integer>${BAND}</integer>
	<key>bundle-backingstore-version</key>
	<integer>1</integer>
	<key>diskimage-bundle-type</key>
	<string>com.apple.diskimage.sparsebundle</string>
	<key>size</key>
	<integer>${BAND * BANDS * 4}</integer>
</dict>
</plist>
`;
}

/** Every file under DIR by relative path, sorted. */
function listTree(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

function treeBytes(dir) {
  return listTree(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** Counts like "3 archives uploaded (24.0 MiB)" from glacier's info lines. */
function lastInfo(result, pattern) {
  const match = result.stderr
    .split("\n")
    .map((l) => pattern.exec(l))
    .filter(Boolean)
    .at(-1);
  return match ?? undefined;
}

const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;
const demoStarted = process.hrtime.bigint();
let ok = false;
try {
  console.log(`working in ${work} (emulator data: local:${vaults})`);
  console.log(`building a sparsebundle of ${BANDS} bands of ${mib(BAND)} (every fourth band sparse) ...\n`);
  mkdirSync(join(bundle, "bands"), { recursive: true });
  writeFileSync(join(bundle, "Info.plist"), infoPlist());
  writeFileSync(join(bundle, "Info.bckup"), infoPlist());
  // A real token file is empty: Glacier cannot store an empty archive, so the manifest records it.
  writeFileSync(join(bundle, "token"), "");
  // What a tree backup must also give back: a dotfile, a symbolic link, an empty folder, a name
  // that is not ASCII.
  writeFileSync(join(bundle, ".com.apple.TimeMachine.MachineID.plist"), infoPlist());
  symlinkSync("bands/0", join(bundle, "first-band"));
  mkdirSync(join(bundle, "lock"));
  writeFileSync(join(bundle, "Notizen über Bänder.txt"), "unicode name\n");
  for (let n = 0; n < BANDS; n++) writeBand(n, n % 4 === 3);
  const firstFiles = listTree(bundle).length;
  const firstBytes = treeBytes(bundle);

  expectExit(glacier("vault", "create", "backups"), 0);
  const upload = expectExit(
    glacier("archive", "multi-upload", "--prefix", "Backup.sparsebundle", "backups", bundle),
    0,
  );
  steps.push({ step: "multi-upload", seconds: upload.seconds, sent: `${firstFiles} files, ${mib(firstBytes)}` });

  // Between two backups: bands rewritten in place, bands that no longer hold data deleted (as
  // `hdiutil compact` does), and the image grown by new bands at its end.
  const changed = [1, 2, 3, Math.floor(BANDS / 2)].filter((n, i, all) => n < BANDS && all.indexOf(n) === i);
  for (const n of changed) touchBand(n);
  const removed = [BANDS - 2, BANDS - 4].filter((n) => n >= 0 && !changed.includes(n));
  for (const n of removed) rmSync(join(bundle, "bands", bandName(n)));
  const added = [BANDS, BANDS + 1, BANDS + 2];
  added.forEach((n, i) => writeBand(n, i === 2));
  writeFileSync(
    join(bundle, "Info.plist"),
    infoPlist().replace("</dict>", "\t<key>demo-generation</key>\n\t<integer>2</integer>\n</dict>"),
  );
  console.log(
    `\nchanged ${changed.length} bands in place (${changed.map(bandName).join(", ")}) and Info.plist, added ` +
      `${added.length} (${added.map(bandName).join(", ")}), removed ${removed.length} (` +
      `${removed.map(bandName).join(", ")})\n`,
  );

  const reconcile = expectExit(
    glacier(
      "vault",
      "reconcile",
      "--commit",
      "--delete-removed",
      "--manifest",
      "--prefix",
      "Backup.sparsebundle",
      "backups",
      bundle,
    ),
    0,
  );
  const manifest = lastInfo(reconcile, /^glacier: info: manifest (.+) records this snapshot$/)?.[1];
  if (!manifest) throw new Error("vault reconcile --manifest did not say which manifest it wrote");
  const counts = lastInfo(reconcile, /^glacier: info: reconciled: (\d+) uploaded, (\d+) old versions? superseded/);
  const expectedUploads = changed.length + 1 + added.length;
  const expectedDeletes = changed.length + 1 + removed.length;
  if (!counts || Number(counts[1]) !== expectedUploads || Number(counts[2]) !== expectedDeletes) {
    throw new Error(
      `reconcile should upload ${expectedUploads} files and supersede ${expectedDeletes} archives; it said: ` +
        `${counts?.[0] ?? "nothing"}`,
    );
  }
  const sentBytes = [
    ...changed.map(() => BAND),
    statSync(join(bundle, "Info.plist")).size,
    ...added.map(() => BAND),
  ].reduce((a, b) => a + b, 0);
  steps.push({
    step: "reconcile --commit",
    seconds: reconcile.seconds,
    sent: `${expectedUploads} files, ${mib(sentBytes)} + manifest; ${expectedDeletes} old versions kept for 90 days`,
  });

  // The retrieval jobs take hours on Glacier (the first run starts them and exits 75, the next runs
  // download what is ready); on local:DIR they complete as they start, so the first run restores.
  let restore;
  let restoreSeconds = 0;
  const runs = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    restore = expectExit(
      glacier("vault", "restore", "--manifest", manifest, "--prefix", "Backup.sparsebundle", "backups", restored),
      0,
      75,
    );
    restoreSeconds += restore.seconds;
    runs.push(restore.status);
    if (restore.status === 0) break;
  }
  if (restore.status !== 0) throw new Error(`vault restore still pending after ${runs.length} runs`);
  if (runs.length !== 1)
    throw new Error(
      `vault restore on local:DIR should finish on its first run, not after ${runs.length} (exits ${runs.join(", ")})`,
    );
  steps.push({
    step: "restore --manifest",
    seconds: restoreSeconds,
    sent:
      `${listTree(restored).length} files, ${mib(treeBytes(restored))} received (${runs.length} run` +
      `${runs.length === 1 ? "" : "s"}, exit ${runs.join(", ")})`,
  });

  let latestSeconds = 0;
  for (let attempt = 1; attempt <= 4; attempt++) {
    const run = expectExit(glacier("vault", "restore", "--prefix", "Backup.sparsebundle", "backups", latest), 0, 75);
    latestSeconds += run.seconds;
    if (run.status === 0) break;
    if (attempt === 4) throw new Error("vault restore of the latest state still pending after 4 runs");
  }
  steps.push({
    step: "restore (latest)",
    seconds: latestSeconds,
    sent: `${listTree(latest).length} files, ${mib(treeBytes(latest))} received`,
  });

  if (process.env.DEMO_TAMPER) {
    const victim = join(restored, "bands", bandName(changed[0]));
    const fd = openSync(victim, "r+");
    writeSync(fd, Buffer.from([readFileSync(victim)[BAND - 1] ^ 0xff]), 0, 1, BAND - 1);
    closeSync(fd);
    console.log(`\n(DEMO_TAMPER: flipped the last byte of the restored band ${bandName(changed[0])})`);
  }

  const original = describeTree(bundle);
  const checks = [
    {
      label: "restore --manifest",
      problems: compareTrees(original, describeTree(restored)),
      allocated: allocatedBytes(describeTree(restored)),
    },
    {
      label: "restore (latest)",
      problems: compareTrees(original, describeTree(latest)),
      allocated: allocatedBytes(describeTree(latest)),
    },
  ];
  ok = checks.every((c) => c.problems.length === 0);
  const kinds = [...original.values()].reduce((n, e) => ({ ...n, [e.kind]: (n[e.kind] ?? 0) + 1 }), {});
  console.log("\nsummary");
  for (const s of steps) console.log(`  ${s.step.padEnd(20)} ${s.seconds.toFixed(1).padStart(6)} s   ${s.sent}`);
  console.log(
    `  ${"whole demo".padEnd(20)} ` +
      `${(Number(process.hrtime.bigint() - demoStarted) / 1e9).toFixed(1).padStart(6)} s   (including building ` +
      `the sparsebundle)`,
  );
  console.log(
    `  compared ${original.size} entries (${kinds.file ?? 0} files, ${kinds.dir ?? 0} folders, ` +
      `${kinds.symlink ?? 0} links; ${mib(treeBytes(bundle))}, ${mib(allocatedBytes(original))} allocated) by ` +
      `name, type, bytes, link target, mode, mtime and allocated blocks:`,
  );
  for (const c of checks) {
    console.log(`    ${c.label.padEnd(20)} ${c.problems.length} differences, ${mib(c.allocated)} allocated`);
    for (const p of c.problems.slice(0, 10)) console.log(`      ${p}`);
  }
  console.log(
    ok
      ? "RESULT: the restored sparsebundle is identical to the original"
      : "RESULT: MISMATCH between the restored sparsebundle and the original",
  );
} catch (error) {
  console.log(`\nRESULT: FAILED: ${error.message}`);
} finally {
  if (process.env.DEMO_KEEP) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
