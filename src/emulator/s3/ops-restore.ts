// RestoreObject (POST /bucket/key?restore): the request's Days and tier, applied by restore.ts.
import type { Tier } from "../../core/types.ts";
import { type S3Handler, readSmallBody, s3Empty, s3Of } from "./context.ts";
import { S3Error } from "./errors.ts";
import { getBucket } from "./model.ts";
import { versionedObject } from "./ops-objects.ts";
import { requestRestore } from "./restore.ts";
import { childNamed, childText, parseXml } from "./xml.ts";

const TIERS: readonly string[] = ["Expedited", "Standard", "Bulk"];
const malformed = () =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );

export const RestoreObject: S3Handler = async (ctx) => {
  const text = await readSmallBody(ctx);
  const root = text.trim() === "" ? undefined : parseXml(text);
  if (root !== undefined && root.name !== "RestoreRequest") throw malformed();
  if (root !== undefined && childText(root, "Type") !== undefined)
    throw new S3Error("NotImplemented", "SELECT restore requests are not implemented by the emulator");
  const daysText = root === undefined ? undefined : childText(root, "Days");
  const job = root === undefined ? undefined : childNamed(root, "GlacierJobParameters");
  const tier =
    (job !== undefined ? childText(job, "Tier") : undefined) ??
    (root !== undefined ? childText(root, "Tier") : undefined) ??
    "Standard";
  if (!TIERS.includes(tier)) throw malformed();
  // Days is required for GLACIER and DEEP_ARCHIVE objects, the only ones restored.
  if (daysText === undefined || !/^\d+$/.test(daysText) || Number(daysText) < 1) throw malformed();
  const status = await ctx.env.transactAll((state, now) => {
    const object = versionedObject(getBucket(s3Of(state), ctx.bucket), ctx.key, ctx.query.get("versionId"));
    return requestRestore(object, tier as Tier, Number(daysText), now, ctx.restoreDelays);
  });
  return s3Empty(status);
};
