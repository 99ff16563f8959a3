// HTTP handlers of the job operations (docs/glacier-api.md#operations "Jobs", 3).
import { link, readFile, writeFile } from "node:fs/promises";
import { isTreeHashAligned, treeHashOfChunkRange } from "../core/tree-hash.ts";
import { decodeChunkHashes } from "./blob.ts";
import { bodyResponse, emptyResponse, jsonResponse, readJson } from "./http.ts";
import { renderInventory } from "./inventory.ts";
import { checkOutputReady, describeJob, getJob, initiateJob, jobOrder, listJobs } from "./model-jobs.ts";
import { getVault } from "./model-vaults.ts";
import { type Handler, locationPrefix, pageLimit } from "./op-context.ts";
import { parseRange } from "./ranges.ts";
import { vaultArn } from "./state.ts";
import { defined } from "../core/errors.ts";

export const InitiateJob: Handler = async (ctx) => {
  const { env } = ctx;
  const params = await readJson(ctx.req.body);
  const jobId = await env.transact(async (s, t) => {
    // Chunk digests are read only when a tree-hash-aligned sub-range is requested.
    const digests = new Map<string, Buffer[]>();
    for (const id of typeof params["ArchiveId"] === "string" ? [params["ArchiveId"]] : []) {
      const data = await readFile(env.store.chunkHashPath(id)).catch(() => undefined);
      if (data) digests.set(id, decodeChunkHashes(data));
    }
    const job = initiateJob(s, env.config, t, ctx.vault, {
      params,
      rangeTreeHash: (archive, start, end) =>
        treeHashOfChunkRange(digests.get(archive.id) ?? [], start, end, archive.size),
    });
    const out = env.store.jobPath(job.id);
    if (job.action === "ArchiveRetrieval") {
      // A hard link keeps the bytes readable even if the archive is deleted while the job lives.
      await link(env.store.archivePath(defined(job.archiveId, "job.archiveId")), out);
      await link(env.store.chunkHashPath(defined(job.archiveId, "job.archiveId")), `${out}.th`);
      job.archiveDescription =
        getVault(s, env.config, ctx.vault).archives[defined(job.archiveId, "job.archiveId")]?.description ?? "";
    } else {
      const rendered = renderInventory(
        getVault(s, env.config, ctx.vault),
        vaultArn(env.config, ctx.vault),
        defined(job.inventory, "job.inventory"),
      );
      await writeFile(out, rendered.body);
      job.outputSize = rendered.body.length;
      job.nextMarker = rendered.nextMarker;
    }
    return job.id;
  });
  return emptyResponse(202, { Location: `${locationPrefix(ctx)}/jobs/${jobId}`, "x-amz-job-id": jobId });
};

export const DescribeJob: Handler = async (ctx) => {
  const { env } = ctx;
  const view = await env.read((s, t) =>
    describeJob(env.config, getJob(s, env.config, ctx.vault, ctx.id), t, env.omitNulls),
  );
  return jsonResponse(200, view);
};

export const ListJobs: Handler = async (ctx) => {
  const { env, query } = ctx;
  const limit = pageLimit(query, env.config.pageMax.jobs);
  const filters = {
    limit,
    marker: query.get("marker"),
    statuscode: query.get("statuscode"),
    completed: query.get("completed"),
  };
  const page = await env.read((s, t) => {
    const order = env.store.memo(`jobs ${env.config.region} ${ctx.vault}`, () => jobOrder(s, ctx.vault));
    return listJobs(s, env.config, t, ctx.vault, filters, env.omitNulls, order);
  });
  return jsonResponse(200, page);
};

// docs/glacier-api.md#tree-hash-aligned-ranges: the tree-hash header is sent for archive jobs only when "(no
// retrieval range, or a tree-hash-aligned one) and (whole output downloaded, or the download range is tree-hash
// aligned relative to it)".
export const GetJobOutput: Handler = async (ctx) => {
  const { env } = ctx;
  const job = await env.read((s, t) => {
    const found = getJob(s, env.config, ctx.vault, ctx.id);
    checkOutputReady(found, t);
    return found;
  });
  const range = parseRange(ctx.req.headers["range"], job.outputSize);
  const length = range.end - range.start + 1;
  const headers: Record<string, string> = { "Accept-Ranges": "bytes" };
  if (range.partial) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${job.outputSize}`;
  const path = env.store.jobPath(job.id);
  if (job.action === "InventoryRetrieval") {
    headers["Content-Type"] = job.inventory?.Format === "CSV" ? "text/csv" : "application/json";
  } else {
    headers["Content-Type"] = "application/octet-stream";
    headers["x-amz-archive-description"] = job.archiveDescription ?? "";
    const whole = range.start === 0 && range.end === job.outputSize - 1;
    const archiveStart = job.rangeStart + range.start;
    const archiveEnd = job.rangeStart + range.end;
    if (
      job.rangeTreeHash !== null &&
      (whole || isTreeHashAligned(range.start, range.end, job.outputSize)) &&
      isTreeHashAligned(archiveStart, archiveEnd, defined(job.archiveSize, "job.archiveSize"))
    ) {
      headers["x-amz-sha256-tree-hash"] = whole
        ? job.rangeTreeHash
        : treeHashOfChunkRange(
            decodeChunkHashes(await readFile(`${path}.th`)),
            archiveStart,
            archiveEnd,
            defined(job.archiveSize, "job.archiveSize"),
          );
    }
  }
  return bodyResponse(
    range.partial ? 206 : 200,
    { path, start: job.action === "ArchiveRetrieval" ? job.rangeStart + range.start : range.start, length },
    headers,
  );
};
