// S3's error replies (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): an XML
// <Error> with Code, Message, RequestId (and extra fields such as BucketName or Key), status per code.

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  BadDigest: 400,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooSmall: 400,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidObjectState: 403,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidPartNumber: 416,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NotImplemented: 501,
  RequestTimeout: 400,
  RequestTimeTooSkewed: 403,
  RestoreAlreadyInProgress: 409,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
  InvalidAccessKeyId: 403,
  XAmzContentSHA256Mismatch: 400,
};

export class S3Error extends Error {
  readonly status: number;
  /** Headers sent with the error (x-amz-delete-marker on a GET of a deleted key). */
  headers: Record<string, string> = {};
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[code] ?? 400;
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error("NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });
export const noSuchKey = (key: string) => new S3Error("NoSuchKey", "The specified key does not exist.", { Key: key });
export const noSuchUpload = (id: string) =>
  new S3Error(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted " +
      "or completed.",
    { UploadId: id },
  );
