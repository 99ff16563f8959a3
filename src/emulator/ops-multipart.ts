// HTTP handlers of the multipart family (docs/glacier-api.md#operations, docs/glacier-api.md#multipart-uploads).
// Parts are written straight into one data file at their offset (DIR/uploads/<id>/data), so completion is a rename,
// not a copy; each part's range and chunk digests go to DIR/uploads/<id>/part-<start>.json (atomic per part, no state
// lock on the hot path).
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
import { invalid, notFound } from "./api-error.ts";
import { encodeChunkHashes, receiveToFile } from "./blob.ts";
import { checkReceived, declaredHashes, declaredLength } from "./checksums.ts";
import { emptyResponse, jsonResponse } from "./http.ts";
import { newArchiveId } from "./ids.ts";
import {
  type PartRecord,
  addArchive,
  checkCompletion,
  checkDescription,
  checkPartRange,
  checkPartSize,
  describeUpload,
  getUpload,
  initiateUpload,
} from "./model-archives.ts";
import { getVault } from "./model-vaults.ts";
import { type Handler, locationPrefix, pageLimit } from "./op-context.ts";
import { vaultArn } from "./state.ts";
import { isoMillis } from "./time.ts";
import { defined } from "../core/errors.ts";

const partFile = (dir: string, start: number) => join(dir, `part-${String(start).padStart(16, "0")}.json`);

async function readParts(dir: string): Promise<PartRecord[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith("part-") && n.endsWith(".json")).sort();
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as PartRecord));
}

export const InitiateMultipartUpload: Handler = async (ctx) => {
  const { env, req } = ctx;
  const partSize = checkPartSize(req.headers["x-amz-part-size"]);
  const description = checkDescription(req.headers["x-amz-archive-description"]);
  const upload = await env.transact((s, t) => initiateUpload(s, env.config, t, ctx.vault, partSize, description));
  const dir = env.store.uploadDir(upload.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "data"), "");
  return emptyResponse(201, {
    Location: `${locationPrefix(ctx)}/multipart-uploads/${upload.id}`,
    "x-amz-multipart-upload-id": upload.id,
  });
};

export const UploadMultipartPart: Handler = async (ctx) => {
  const { env, req } = ctx;
  const declared = declaredHashes(req);
  const length = declaredLength(req);
  // Recording the activity appends a line to state.log, and parts of a busy upload come many times
  // a second: the time is written only once the recorded one is older than 1% of the idle limit (at
  // most a minute), so most parts only read the state and the log does not grow with every part.
  // An upload is then reclaimed at most that much before its exact idle time.
  const refreshMs = Math.min(60_000, env.config.uploadIdleSeconds * 10);
  const seen = await env.read((s, t) => {
    const u = getUpload(s, env.config, ctx.vault, ctx.id);
    return { upload: { ...u }, stale: t - u.lastActivity >= refreshMs };
  });
  const upload = !seen.stale
    ? seen.upload
    : await env.transact((s, t) => {
        const u = getUpload(s, env.config, ctx.vault, ctx.id);
        u.lastActivity = t;
        return { ...u };
      });
  const { start, end } = checkPartRange(upload, req.headers["content-range"], length);
  const dir = env.store.uploadDir(upload.id);
  const data = join(dir, "data");
  // A part sent again while one is stored at that range: Glacier keeps the stored part unless the
  // new one arrives intact, so the new bytes wait in a staging file until their checksums pass.
  const replacing = await stat(partFile(dir, start)).then(
    () => true,
    () => false,
  );
  const staging = replacing ? env.store.tmpPath("part-data") : undefined;
  const received = await receiveToFile(
    req.body,
    staging ?? data,
    staging ? { maxBytes: end - start + 1 } : { position: start, maxBytes: end - start + 1 },
  ).catch(async (error: unknown) => {
    if (staging) await env.store.remove(staging);
    // Aborted (or reclaimed) while this part was on its way: its folder is gone.
    throw (error as NodeJS.ErrnoException).code === "ENOENT"
      ? notFound(`The upload ID was not found: ${upload.id}`)
      : error;
  });
  try {
    if (received.size !== end - start + 1)
      throw invalid(`Content-Range: ${req.headers["content-range"]} does not match the body length ${received.size}`);
    checkReceived(declared, received);
    if (staging) {
      // The stored part is no longer valid once its bytes start to be overwritten.
      await env.store.remove(partFile(dir, start));
      await pipeline(createReadStream(staging), createWriteStream(data, { flags: "r+", start })).catch(
        (error: unknown) => {
          throw (error as NodeJS.ErrnoException).code === "ENOENT"
            ? notFound(`The upload ID was not found: ${upload.id}`)
            : error;
        },
      );
    }
  } finally {
    if (staging) await env.store.remove(staging);
  }
  const record: PartRecord = {
    start,
    end,
    treeHash: received.treeHash,
    chunks: received.chunkHashes.map((h) => h.toString("hex")).join(""),
  };
  const tmp = env.store.tmpPath("part");
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, partFile(dir, start));
  return emptyResponse(204, { "x-amz-sha256-tree-hash": received.treeHash });
};

export const CompleteMultipartUpload: Handler = async (ctx) => {
  const { env, req } = ctx;
  const [archiveId, treeHash] = await env.transact(async (s, t) => {
    const upload = getUpload(s, env.config, ctx.vault, ctx.id, ["open", "completed"]);
    // "A successful Complete is idempotent for a short period (same archive ID)".
    if (upload.state === "completed")
      return [
        defined(upload.archiveId, "upload.archiveId"),
        s.vaults[ctx.vault]?.archives[defined(upload.archiveId, "upload.archiveId")]?.treeHash ?? "",
      ] as const;
    const dir = env.store.uploadDir(upload.id);
    const { size, chunkHashes } = checkCompletion(
      upload,
      await readParts(dir),
      req.headers["x-amz-archive-size"],
      req.headers["x-amz-sha256-tree-hash"],
    );
    const id = newArchiveId();
    const hash = defined(req.headers["x-amz-sha256-tree-hash"], 'req.headers["x-amz-sha256-tree-hash"]').toLowerCase();
    addArchive(s, env.config, t, ctx.vault, { description: upload.description, size, treeHash: hash, sha256: "" }, id);
    const handle = await open(join(dir, "data"), "r+");
    await handle.truncate(size).finally(() => handle.close());
    await writeFile(env.store.chunkHashPath(id), encodeChunkHashes(chunkHashes));
    await rename(join(dir, "data"), env.store.archivePath(id));
    Object.assign(upload, { state: "completed", closedAt: t, archiveId: id });
    return [id, hash] as const;
  });
  await env.store.remove(env.store.uploadDir(ctx.id));
  return emptyResponse(201, {
    Location: `${locationPrefix(ctx)}/archives/${archiveId}`,
    "x-amz-archive-id": archiveId,
    "x-amz-sha256-tree-hash": treeHash,
  });
};

export const AbortMultipartUpload: Handler = async (ctx) => {
  const { env } = ctx;
  await env.transact((s, t) => {
    const upload = getUpload(s, env.config, ctx.vault, ctx.id, ["open", "aborted"]);
    Object.assign(upload, { state: "aborted", closedAt: upload.closedAt ?? t });
  });
  await env.store.remove(env.store.uploadDir(ctx.id));
  return emptyResponse(204);
};

// ListParts: "sorted by range"; the marker is the first byte of the next part.
export const ListParts: Handler = async (ctx) => {
  const { env } = ctx;
  const limit = pageLimit(ctx.query, env.config.pageMax.parts);
  const upload = await env.read((s) => getUpload(s, env.config, ctx.vault, ctx.id));
  const parts = await readParts(env.store.uploadDir(upload.id));
  const marker = ctx.query.get("marker");
  const from = marker === null ? 0 : parts.findIndex((p) => String(p.start) === marker);
  if (from < 0) throw invalid(`Invalid marker: ${marker}`);
  const page = parts.slice(from, from + limit);
  return jsonResponse(200, {
    ArchiveDescription: upload.description === "" ? null : upload.description,
    CreationDate: isoMillis(upload.creationDate),
    Marker: parts[from + limit] ? String(defined(parts[from + limit], "parts[from + limit]").start) : null,
    MultipartUploadId: upload.id,
    PartSizeInBytes: upload.partSize,
    Parts: page.map((p) => ({ RangeInBytes: `${p.start}-${p.end}`, SHA256TreeHash: p.treeHash })),
    VaultARN: vaultArn(env.config, upload.vault),
  });
};

export const ListMultipartUploads: Handler = async (ctx) => {
  const { env } = ctx;
  const limit = pageLimit(ctx.query, env.config.pageMax.uploads);
  const marker = ctx.query.get("marker");
  const page = await env.read((s) => {
    getVault(s, env.config, ctx.vault);
    const open = Object.values(s.uploads)
      .filter((u) => u.vault === ctx.vault && u.state === "open")
      .sort((a, b) => a.creationDate - b.creationDate || (a.id < b.id ? -1 : 1));
    const from = marker === null ? 0 : open.findIndex((u) => u.id === marker);
    if (from < 0) throw invalid(`Invalid marker: ${marker}`);
    return {
      Marker: open[from + limit]?.id ?? null,
      UploadsList: open.slice(from, from + limit).map((u) => describeUpload(env.config, u)),
    };
  });
  return jsonResponse(200, page);
};
