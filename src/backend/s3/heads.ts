// HeadObject helpers shared by the S3 plugin's files: the tree hash from an object's metadata, the
// archive id of an object, a HEAD that refuses a replaced version, and bounded concurrency.
import { ServiceError } from "../../core/errors.ts";
import { archiveIdFor } from "../../core/s3-address.ts";
import type { ObjectHead, S3Api } from "./objects.ts";
import { OTHER_TREE_HASH_META, TREE_HASH_META } from "./upload-ids.ts";

/** HEADs with the version; an object replaced since the id was given counts as gone. */
export async function headVersion(
  api: S3Api,
  bucket: string,
  key: string,
  ref: { name: string; versionId?: string; treeHash?: string },
): Promise<ObjectHead> {
  const found = await api.headObject(bucket, key, ref.versionId);
  if (ref.treeHash !== undefined && treeHashOf(found) !== ref.treeHash)
    throw new ServiceError(
      `${ref.name}: the object was replaced since (its tree hash is no longer ${ref.treeHash})`,
      "ResourceNotFoundException",
    );
  return found;
}

/** The archive id of an object (docs/backends.md#s3-mapping): its version, else its content's tree hash. */
export function idOf(name: string, head: Pick<ObjectHead, "versionId" | "metadata">): string {
  const treeHash = treeHashOf(head);
  return archiveIdFor({
    name,
    ...(head.versionId !== undefined ? { versionId: head.versionId } : {}),
    ...(treeHash !== undefined ? { treeHash } : {}),
  });
}

export const HEAD_CONCURRENCY = 8;

/** f over items, `limit` at a time, results in order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await f(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function treeHashOf(head: Pick<ObjectHead, "metadata">): string | undefined {
  const value = head.metadata[TREE_HASH_META] ?? head.metadata[OTHER_TREE_HASH_META];
  return value !== undefined && /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : undefined;
}
