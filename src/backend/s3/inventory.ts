// An S3 "inventory": ListObjectsV2 under the prefix (immediate), then HeadObject of each object for
// the tree hash and size the tool stored in its metadata (bounded concurrency), written as the JSON
// a Glacier inventory job returns, so that `vault sync` and reconcile read both backends alike
// (docs/backends.md#inventory). Objects without a tree hash in their metadata were not written by
// this tool (or its multipart upload from a stream); they are left out: nothing could verify them.
import { Readable } from "node:stream";
import { parseS3Address } from "../../core/s3-address.ts";
import type { JobOutput } from "../port.ts";
import type { S3Api } from "./objects.ts";
import { HEAD_CONCURRENCY, idOf, mapBounded, treeHashOf } from "./heads.ts";
import { descriptionOfName } from "./upload-ids.ts";

export async function inventoryOutput(api: S3Api, vault: string, now: number): Promise<JobOutput> {
  const address = parseS3Address(vault);
  const objects = await api.listObjects(address.bucket, address.prefix, false);
  const entries = await mapBounded(objects, HEAD_CONCURRENCY, async (object) => {
    const name = object.key.slice(address.prefix.length);
    if (name === "") return undefined;
    const head = await api.headObject(address.bucket, object.key);
    const treeHash = treeHashOf(head);
    if (treeHash === undefined) return undefined;
    return {
      ArchiveId: idOf(name, head),
      ArchiveDescription: descriptionOfName(name),
      CreationDate: new Date(object.lastModified).toISOString(),
      Size: head.size,
      SHA256TreeHash: treeHash,
    };
  });
  const text = JSON.stringify({
    VaultARN: `arn:aws:s3:::${address.bucket}/${address.prefix}`,
    InventoryDate: new Date(now).toISOString(),
    ArchiveList: entries.filter((e) => e !== undefined),
  });
  const body = Buffer.from(text);
  return { body: Readable.from([body]), status: 200, contentLength: body.length, contentType: "application/json" };
}
