// HTTP handlers of UploadArchive and DeleteArchive (docs/glacier-api.md#operations "Archives").
import { rename, writeFile } from "node:fs/promises";
import { invalid } from "./api-error.ts";
import { encodeChunkHashes, receiveToFile } from "./blob.ts";
import { checkReceived, declaredHashes, declaredLength } from "./checksums.ts";
import { emptyResponse } from "./http.ts";
import { newArchiveId } from "./ids.ts";
import { addArchive, checkDescription, deleteArchive } from "./model-archives.ts";
import { getVault } from "./model-vaults.ts";
import { type Handler, locationPrefix } from "./op-context.ts";

// docs/glacier-api.md#size-limits: "Single UploadArchive: 1 byte ... 4 GiB"; 0-byte uploads are refused with 400.
export const MAX_SINGLE_UPLOAD = 4 * 1024 * 1024 * 1024;

export const UploadArchive: Handler = async (ctx) => {
  const { env, req } = ctx;
  const declared = declaredHashes(req);
  const length = declaredLength(req);
  if (length === 0) throw invalid("Invalid Content-Length: 0. An archive must have at least 1 byte");
  if (length !== undefined && length > MAX_SINGLE_UPLOAD)
    throw invalid(`Invalid Content-Length: ${length}. Archives larger than 4 GiB must be uploaded in parts`);
  const description = checkDescription(req.headers["x-amz-archive-description"]);
  await env.read((s) => getVault(s, env.config, ctx.vault));

  const tmp = env.store.tmpPath("upload");
  try {
    const received = await receiveToFile(req.body, tmp, { maxBytes: MAX_SINGLE_UPLOAD });
    if (received.size === 0) throw invalid("Invalid Content-Length: 0. An archive must have at least 1 byte");
    checkReceived(declared, received);
    const id = newArchiveId();
    await writeFile(env.store.chunkHashPath(id), encodeChunkHashes(received.chunkHashes));
    await env.transact(async (s, t) => {
      addArchive(
        s,
        env.config,
        t,
        ctx.vault,
        { description, size: received.size, treeHash: received.treeHash, sha256: received.sha256 },
        id,
      );
      await rename(tmp, env.store.archivePath(id));
    });
    return emptyResponse(201, {
      Location: `${locationPrefix(ctx)}/archives/${id}`,
      "x-amz-archive-id": id,
      "x-amz-sha256-tree-hash": received.treeHash,
    });
  } finally {
    await env.store.remove(tmp);
  }
};

export const DeleteArchive: Handler = async (ctx) => {
  const { env } = ctx;
  const existed = await env.transact((s, t) => deleteArchive(s, env.config, t, ctx.vault, ctx.id));
  // Jobs keep their own hard links to the bytes, so removing the archive's names is safe.
  if (existed) await env.store.remove(env.store.archivePath(ctx.id), env.store.chunkHashPath(ctx.id));
  return emptyResponse(204);
};
