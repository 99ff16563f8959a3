// DeleteObject and DeleteObjects: without a version id an object goes (unversioned bucket) or gets a
// delete marker on top (versioned); with one, that version goes for good (versions.ts).
import type { EmulatorEnv } from "../env.ts";
import { type S3Handler, objectPath, readSmallBody, s3Empty, s3Of, xmlResponse } from "./context.ts";
import { S3Error } from "./errors.ts";
import { getBucket } from "./model.ts";
import { deleteCurrent, deleteVersion, isDeleteMarker, versionIdOf } from "./versions.ts";
import { childNamed, childText, childrenNamed, parseXml } from "./xml.ts";

interface Deletion {
  key: string;
  versionId?: string;
  /** The delete marker this deletion made or removed, if any. */
  marker?: { versionId: string };
  headers: Record<string, string>;
}

/**
 * DeleteObject's rules for one key: without a version id, remove the object or put a delete marker
 * on top (versioned bucket); with one, remove that version for good. Data files go after the save.
 */
async function deleteKeys(
  env: EmulatorEnv,
  bucket: string,
  targets: readonly { key: string; versionId?: string }[],
): Promise<Deletion[]> {
  const [done, files] = await env.transactAll((state, now) => {
    const record = getBucket(s3Of(state), bucket);
    const out: Deletion[] = [];
    const removed: string[] = [];
    for (const { key, versionId } of targets) {
      if (versionId !== undefined) {
        const result = deleteVersion(record, key, versionId);
        removed.push(...result.removed);
        const marker = result.deleted && isDeleteMarker(result.deleted);
        out.push({
          key,
          versionId,
          ...(marker ? { marker: { versionId } } : {}),
          headers: { "x-amz-version-id": versionId, ...(marker ? { "x-amz-delete-marker": "true" } : {}) },
        });
        continue;
      }
      const result = deleteCurrent(record, key, now);
      removed.push(...result.removed);
      const marker = result.marker ? { versionId: versionIdOf(result.marker) } : undefined;
      out.push({
        key,
        ...(marker ? { marker } : {}),
        headers: marker ? { "x-amz-delete-marker": "true", "x-amz-version-id": marker.versionId } : {},
      });
    }
    return [out, removed] as const;
  });
  await env.store.remove(...files.map((f) => objectPath(env, f)));
  return done;
}

export const DeleteObject: S3Handler = async (ctx) => {
  const versionId = ctx.query.get("versionId");
  const [done] = await deleteKeys(ctx.env, ctx.bucket, [
    { key: ctx.key, ...(versionId !== null ? { versionId } : {}) },
  ]);
  return s3Empty(204, done?.headers ?? {});
};

export const DeleteObjects: S3Handler = async (ctx) => {
  const root = parseXml(await readSmallBody(ctx));
  const objects = childrenNamed(root, "Object");
  if (root.name !== "Delete" || objects.length === 0 || objects.length > 1000) {
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
    );
  }
  const targets = objects.map((o) => {
    const versionId = childNamed(o, "VersionId")?.text;
    return { key: childNamed(o, "Key")?.text ?? "", ...(versionId !== undefined ? { versionId } : {}) };
  });
  const done = await deleteKeys(
    ctx.env,
    ctx.bucket,
    targets.filter((t) => t.key !== ""),
  );
  const quiet = childText(root, "Quiet") === "true";
  return xmlResponse(200, "DeleteResult", {
    Deleted: quiet
      ? undefined
      : done.map((d) => ({
          Key: d.key,
          ...(d.versionId !== undefined ? { VersionId: d.versionId } : {}),
          ...(d.marker ? { DeleteMarker: true, DeleteMarkerVersionId: d.marker.versionId } : {}),
        })),
    Error: targets.some((t) => t.key === "")
      ? [{ Key: "", Code: "UserKeyMustBeSpecified", Message: "The key must not be empty" }]
      : undefined,
  });
};
