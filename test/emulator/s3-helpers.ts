// An emulator for the S3 tests, and the AWS CLI / boto3 pointed at it with test credentials.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { onTestFinished } from "vitest";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { TEST_CREDENTIALS } from "./helpers.ts";

export const CLIENT_ENV = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_PAGER: "",
};

/** The start of a boto3 script: a client on the emulator (argv[1]), err() for error codes, advance() of its clock. */
export const BOTO3_PRELUDE = String.raw`
import json, sys, socket, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
def err(fn, **kw):
    try:
        fn(**kw)
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
def advance(seconds):
    urllib.request.urlopen(urllib.request.Request(url + "/_emulator/clock?advance=%d" % seconds, method="POST")).read()
out = {}
`;

export interface S3TestEmulator {
  emulator: RunningEmulator;
  dataDir: string;
  /** Runs `aws ARGS --endpoint-url URL --output json`; stdout parsed as JSON when there is any. */
  aws: (
    ...args: string[]
  ) => Promise<{ exitCode: number; stdout: string; stderr: string; json: Record<string, unknown> }>;
  /** Runs a Python script with boto3 (argv[1] = the emulator URL); its stdout parsed as JSON. */
  python: (
    script: string,
    ...args: string[]
  ) => Promise<{ stderr: string; exitCode: number; out: Record<string, unknown> }>;
}

/**
 * Every body is hashed on the digest pool's worker threads (the built worker in dist/), as large
 * bodies are in the built emulator: the clients we did not write check the ETags and checksums it
 * computes there.
 */
export const WORKER_HASHING: Partial<EmulatorOptions> = {
  hashWorkerUrl: new URL("../../dist/s3-digest-worker.js", import.meta.url),
  hashThreads: 2,
  hashMinBytes: 0,
};

export async function s3Emulator(options: Partial<EmulatorOptions> = {}): Promise<S3TestEmulator> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "glacier-s3-")));
  const emulator = await startEmulator({
    auth: "strict",
    credentials: TEST_CREDENTIALS,
    ...WORKER_HASHING,
    ...options,
    dataDir,
  });
  onTestFinished(async () => {
    // A test may have closed it already (a restart on the same DIR).
    await emulator.close().catch(() => undefined);
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  });
  const aws = async (...args: string[]) => {
    const r = await execa("aws", [...args, "--endpoint-url", emulator.url, "--output", "json"], {
      env: CLIENT_ENV,
      reject: false,
    });
    let json: Record<string, unknown> = {};
    try {
      json = r.stdout.trim().startsWith("{") ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
    } catch {
      /* not JSON (aws s3 prints lines) */
    }
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, json };
  };
  const python = async (script: string, ...args: string[]) => {
    const r = await execa("python3", ["-c", script, emulator.url, ...args], { env: CLIENT_ENV, reject: false });
    return {
      stderr: r.stderr,
      exitCode: r.exitCode ?? -1,
      out: r.stdout.trim() === "" ? {} : (JSON.parse(r.stdout) as Record<string, unknown>),
    };
  };
  return { emulator, dataDir, aws, python };
}

/** A fresh temporary folder, removed when the current test finishes. */
export async function testDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
