// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
import { OWNER, type S3Handler, isoDate, readSmallBody, s3Empty, s3Of, xmlResponse } from "./context.ts";
import { bucketHoldsVersions } from "./versions.ts";
import { S3Error } from "./errors.ts";
import { type S3State, checkBucketName, getBucket } from "./model.ts";
import { childText, parseXml } from "./xml.ts";

export const ListBuckets: S3Handler = async (ctx) => {
  const buckets = await ctx.env.readAll((state) => Object.values((state as { s3?: S3State }).s3?.buckets ?? {}));
  buckets.sort((a, b) => (a.name < b.name ? -1 : 1));
  return xmlResponse(200, "ListAllMyBucketsResult", {
    Owner: OWNER,
    Buckets: {
      Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: isoDate(b.creationDate), BucketRegion: b.region })),
    },
  });
};

export const CreateBucket: S3Handler = async (ctx) => {
  checkBucketName(ctx.bucket);
  const text = await readSmallBody(ctx);
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html: no configuration means us-east-1.
  const location = text.trim() === "" ? undefined : childText(parseXml(text), "LocationConstraint");
  const region =
    location === undefined || location === "" || location === "US"
      ? "us-east-1"
      : location === "EU"
        ? "eu-west-1"
        : location;
  if (region !== ctx.region && !(ctx.region === ctx.env.config.region && location === undefined)) {
    throw new S3Error(
      "IllegalLocationConstraintException",
      `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const created = await ctx.env.transactAll((state, now) => {
    const s3 = s3Of(state);
    const existing = Object.hasOwn(s3.buckets, ctx.bucket) ? s3.buckets[ctx.bucket] : undefined;
    // us-east-1 answers 200 for a bucket its owner creates again (a legacy of the first region).
    if (existing) return existing.region === "us-east-1";
    s3.buckets[ctx.bucket] = {
      name: ctx.bucket,
      region: location === undefined ? ctx.region : region,
      creationDate: now,
      objects: {},
    };
    return true;
  });
  if (!created)
    throw new S3Error(
      "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it.",
      { BucketName: ctx.bucket },
    );
  return s3Empty(200, { Location: `/${ctx.bucket}` });
};

export const HeadBucket: S3Handler = async (ctx) => {
  const bucket = await ctx.env.readAll((state) => getBucket((state as { s3?: S3State }).s3, ctx.bucket));
  return s3Empty(200, { "x-amz-bucket-region": bucket.region });
};

export const GetBucketLocation: S3Handler = async (ctx) => {
  const bucket = await ctx.env.readAll((state) => getBucket((state as { s3?: S3State }).s3, ctx.bucket));
  return xmlResponse(200, "LocationConstraint", bucket.region === "us-east-1" ? {} : { "#": bucket.region });
};

export const DeleteBucket: S3Handler = async (ctx) => {
  await ctx.env.transactAll((state) => {
    const s3 = s3Of(state);
    const bucket = getBucket(s3, ctx.bucket);
    if (bucketHoldsVersions(bucket))
      throw new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", { BucketName: ctx.bucket });
    for (const [id, upload] of Object.entries(s3.uploads))
      if (upload.bucket === ctx.bucket) Reflect.deleteProperty(s3.uploads, id);
    Reflect.deleteProperty(s3.buckets, ctx.bucket);
  });
  return s3Empty(204);
};
