// The SDK adapter: the ONLY file that imports @aws-sdk/client-glacier (docs/architecture.md#layers). It
// translates our port calls to SDK commands and SDK shapes back to our vocabulary; every failure
// goes through mapSdkError. The SDK's own retries are off (maxAttempts 1): retry.ts is the one
// retry layer, so attempts never multiply into minutes.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  DeleteArchiveCommand,
  DeleteVaultCommand,
  DescribeJobCommand,
  DescribeVaultCommand,
  GetJobOutputCommand,
  GlacierClient,
  InitiateJobCommand,
  InitiateMultipartUploadCommand,
  ListJobsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  ListVaultsCommand,
  UploadArchiveCommand,
  UploadMultipartPartCommand,
  type GlacierClientConfig,
  type JobParameters,
} from "@aws-sdk/client-glacier";
import { Readable } from "node:stream";
import { ServiceError } from "../core/errors.ts";
import { contentRange } from "../core/multipart.ts";
import { TreeHasher } from "../core/tree-hash.ts";
import { mapSdkError } from "./error-map.ts";
import type { GlacierPort, JobOutput, MultipartUpload, UploadedPart } from "./port.ts";
import { created, toJob, toPart, toUpload, toVault } from "./sdk-shapes.ts";
import type { StaticCredentials } from "./settings.ts";

export interface SdkPortConfig {
  region: string;
  /** http(s) URL; absent = the AWS endpoint for the region. */
  endpointUrl?: string;
  /** For messages: the URL, "local:DIR" or the AWS host. */
  endpointLabel?: string;
  credentials?: StaticCredentials | (() => Promise<StaticCredentials>);
  profile?: string;
  /** Sockets kept per host; at least the transfer concurrency. */
  maxSockets?: number;
  /**
   * A request is abandoned after this long without a byte sent or received, ms (default 60 s): a
   * silent service or proxy is noticed, a slow transfer is not cut. Retry.ts repeats it.
   */
  stallTimeoutMs?: number;
}

/** Guards the list loops against a service that repeats its Marker (docs/emulator.md#fidelity). */
const MAX_PAGES = 100_000;

export function createSdkPort(config: SdkPortConfig): GlacierPort {
  // Our engines hash every body while reading it; the SDK's checksum middleware would hash it twice
  // more. Bodies we hashed are registered here and their digests reused.
  const knownDigests = new WeakMap<object, [string, string]>();
  const stallMs = config.stallTimeoutMs ?? 60_000;
  const clientConfig: GlacierClientConfig = {
    region: config.region,
    maxAttempts: 1,
    // socketTimeout is an idle timeout over the request and its response body (a stalled body errors
    // with TimeoutError); requestTimeout would bound the whole request, and in this SDK version it
    // only prints a warning and waits on, so it is not set.
    requestHandler: {
      connectionTimeout: Math.min(10_000, stallMs),
      socketTimeout: stallMs,
      httpAgent: { keepAlive: true, maxSockets: config.maxSockets ?? 16 },
    },
    // Synchronous work; a throw inside the executor still reaches the SDK as a rejection.
    bodyChecksumGenerator: (request) =>
      new Promise((resolve) => {
        const body = request.body as unknown;
        if (typeof body === "object" && body !== null) {
          const known = knownDigests.get(body);
          if (known) {
            resolve(known);
            return;
          }
        }
        const bytes = typeof body === "string" ? Buffer.from(body) : body instanceof Uint8Array ? body : undefined;
        if (!bytes) throw new ServiceError("internal: request body is not a Buffer", "InternalFailure");
        const hasher = new TreeHasher({ linear: true }).update(bytes);
        resolve([hasher.linearHexDigest(), hasher.hexDigest()]);
      }),
  };
  if (config.endpointUrl) clientConfig.endpoint = config.endpointUrl;
  if (config.credentials) clientConfig.credentials = config.credentials;
  if (config.profile) clientConfig.profile = config.profile;
  const client = new GlacierClient(clientConfig);
  const endpoint = config.endpointLabel ?? config.endpointUrl ?? `glacier.${config.region}.amazonaws.com`;
  const accountId = "-";

  async function call<T>(operation: string, vault: string | undefined, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw mapSdkError(error, {
        operation,
        endpoint,
        region: config.region,
        ...(vault !== undefined ? { vault } : {}),
      });
    }
  }

  async function allPages<P>(
    fetch: (marker: string | undefined) => Promise<{ items: P[]; marker: string | undefined }>,
  ): Promise<P[]> {
    const items: P[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await fetch(marker);
      items.push(...result.items);
      if (!result.marker || seen.has(result.marker)) break;
      seen.add(result.marker);
      marker = result.marker;
    }
    return items;
  }

  return {
    region: config.region,
    endpoint,

    listVaults: () =>
      call("ListVaults", undefined, () =>
        allPages(async (marker) => {
          const out = await client.send(new ListVaultsCommand({ accountId, ...(marker ? { marker } : {}) }));
          return { items: (out.VaultList ?? []).map(toVault), marker: out.Marker ?? undefined };
        }),
      ),
    createVault: async (vault) => {
      await call("CreateVault", vault, () => client.send(new CreateVaultCommand({ accountId, vaultName: vault })));
    },
    describeVault: (vault) =>
      call("DescribeVault", vault, async () =>
        toVault(await client.send(new DescribeVaultCommand({ accountId, vaultName: vault }))),
      ),
    deleteVault: async (vault) => {
      await call("DeleteVault", vault, () => client.send(new DeleteVaultCommand({ accountId, vaultName: vault })));
    },

    uploadArchive: (input) =>
      call("UploadArchive", input.vault, async () => {
        knownDigests.set(input.body, [input.sha256, input.treeHash]);
        const out = await client.send(
          new UploadArchiveCommand({
            accountId,
            vaultName: input.vault,
            checksum: input.treeHash,
            body: input.body,
            ...(input.description !== undefined ? { archiveDescription: input.description } : {}),
          }),
        );
        return created(out.archiveId, out.checksum, out.location);
      }),
    initiateMultipart: (input) =>
      call("InitiateMultipartUpload", input.vault, async () => {
        const out = await client.send(
          new InitiateMultipartUploadCommand({
            accountId,
            vaultName: input.vault,
            partSize: String(input.partSize),
            ...(input.description !== undefined ? { archiveDescription: input.description } : {}),
          }),
        );
        if (!out.uploadId) throw new ServiceError("Glacier sent no multipart upload ID", "InternalFailure");
        return { uploadId: out.uploadId };
      }),
    uploadPart: (input) =>
      call("UploadMultipartPart", input.vault, async () => {
        knownDigests.set(input.body, [input.sha256, input.treeHash]);
        const out = await client.send(
          new UploadMultipartPartCommand({
            accountId,
            vaultName: input.vault,
            uploadId: input.uploadId,
            checksum: input.treeHash,
            range: contentRange({ start: input.start, end: input.start + input.body.length - 1 }),
            body: input.body,
          }),
        );
        return out.checksum ? { treeHash: out.checksum } : {};
      }),
    completeMultipart: (input) =>
      call("CompleteMultipartUpload", input.vault, async () => {
        const out = await client.send(
          new CompleteMultipartUploadCommand({
            accountId,
            vaultName: input.vault,
            uploadId: input.uploadId,
            archiveSize: String(input.size),
            checksum: input.treeHash,
          }),
        );
        return created(out.archiveId, out.checksum, out.location);
      }),
    abortMultipart: async (vault, uploadId) => {
      await call("AbortMultipartUpload", vault, () =>
        client.send(new AbortMultipartUploadCommand({ accountId, vaultName: vault, uploadId })),
      );
    },
    listParts: (vault, uploadId) =>
      call("ListParts", vault, async () => {
        let header: MultipartUpload | undefined;
        const parts = await allPages<UploadedPart>(async (marker) => {
          const out = await client.send(
            new ListPartsCommand({ accountId, vaultName: vault, uploadId, ...(marker ? { marker } : {}) }),
          );
          header ??= toUpload(vault, out);
          return { items: (out.Parts ?? []).flatMap(toPart), marker: out.Marker ?? undefined };
        });
        parts.sort((a, b) => a.start - b.start);
        return { ...(header ?? { uploadId, vault, description: "", partSize: 0, creationDate: 0 }), parts };
      }),
    listMultipartUploads: (vault) =>
      call("ListMultipartUploads", vault, () =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListMultipartUploadsCommand({ accountId, vaultName: vault, ...(marker ? { marker } : {}) }),
          );
          return { items: (out.UploadsList ?? []).map((u) => toUpload(vault, u)), marker: out.Marker ?? undefined };
        }),
      ),
    deleteArchive: async (vault, archiveId) => {
      await call("DeleteArchive", vault, () =>
        client.send(new DeleteArchiveCommand({ accountId, vaultName: vault, archiveId })),
      );
    },

    initiateJob: (vault, request) =>
      call("InitiateJob", vault, async () => {
        const jobParameters: JobParameters =
          request.type === "archive"
            ? {
                Type: "archive-retrieval",
                ArchiveId: request.archiveId,
                ...(request.tier ? { Tier: request.tier } : {}),
                ...(request.range ? { RetrievalByteRange: `${request.range.start}-${request.range.end}` } : {}),
                ...(request.description !== undefined ? { Description: request.description } : {}),
              }
            : {
                Type: "inventory-retrieval",
                Format: request.format ?? "JSON",
                ...(request.description !== undefined ? { Description: request.description } : {}),
              };
        const out = await client.send(new InitiateJobCommand({ accountId, vaultName: vault, jobParameters }));
        if (!out.jobId) throw new ServiceError("Glacier sent no job ID", "InternalFailure");
        return { jobId: out.jobId };
      }),
    describeJob: (vault, jobId) =>
      call("DescribeJob", vault, async () =>
        toJob(vault, await client.send(new DescribeJobCommand({ accountId, vaultName: vault, jobId }))),
      ),
    listJobs: (vault, options = {}) =>
      call("ListJobs", vault, async () => {
        const fetch = async (marker: string | undefined) => {
          const out = await client.send(
            new ListJobsCommand({
              accountId,
              vaultName: vault,
              ...(marker ? { marker } : {}),
              ...(options.statusCode ? { statuscode: options.statusCode } : {}),
              ...(options.completed !== undefined ? { completed: String(options.completed) } : {}),
            }),
          );
          return { items: (out.JobList ?? []).map((job) => toJob(vault, job)), marker: out.Marker ?? undefined };
        };
        return options.firstPageOnly ? (await fetch(undefined)).items : allPages(fetch);
      }),
    getJobOutput: (input) =>
      call("GetJobOutput", input.vault, async () => {
        const out = await client.send(
          new GetJobOutputCommand({
            accountId,
            vaultName: input.vault,
            jobId: input.jobId,
            ...(input.range ? { range: `bytes=${input.range.start}-${input.range.end}` } : {}),
          }),
          input.signal ? { abortSignal: input.signal } : {},
        );
        const body = out.body;
        if (!(body instanceof Readable)) throw new ServiceError("Glacier sent no job output body", "InternalFailure");
        // The SDK does not model Content-Length on GetJobOutput; the Node response carries it.
        const length = Number(
          (body as { headers?: Record<string, string | undefined> }).headers?.["content-length"] ?? NaN,
        );
        const output: JobOutput = { body, status: out.status ?? out.$metadata.httpStatusCode ?? 200 };
        if (Number.isSafeInteger(length)) output.contentLength = length;
        if (out.checksum) output.treeHash = out.checksum;
        if (out.contentRange) output.contentRange = out.contentRange;
        if (out.contentType) output.contentType = out.contentType;
        if (out.archiveDescription !== undefined) output.archiveDescription = out.archiveDescription;
        return output;
      }),

    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  };
}
