import { describe, expect, it } from "vitest";
import { migrationSetup, parseRemoteLog } from "./annex-remotes.ts";

const LOG = [
  "u-vault encryption=none fileprefix=repo/ name=vault type=glacier vault=v1 timestamp=1s",
  "u-s3 encryption=none name=s3 type=external externaltype=glacier bucket=b prefix=annex timestamp=2s",
  "u-s3 encryption=none name=s3 type=external externaltype=glacier bucket=b prefix=moved timestamp=3s",
  "u-ext chunk=1MiB encryption=none name=ext type=external externaltype=glacier vault=v2 timestamp=1s",
  "u-s3c chunk=1MiB encryption=none name=s3c type=external externaltype=glacier bucket=b fileprefix=f/ timestamp=1s",
  "u-enc encryption=shared cipher=abc name=enc type=glacier timestamp=1s",
  "u-same sameas-name=encs3 sameas-uuid=u-enc type=external externaltype=glacier bucket=b timestamp=1s",
  "u-dir encryption=none name=dir type=directory timestamp=1s",
  "",
].join("\n");
const remotes = parseRemoteLog(LOG);

describe("special remotes from remote.log", () => {
  it("keeps the newest line of each uuid and gives a sameas remote its original's uuid", () => {
    expect(remotes.find((r) => r.name === "s3")?.config.prefix).toBe("moved");
    expect(remotes.find((r) => r.name === "encs3")?.uuid).toBe("u-enc");
    expect(remotes.map((r) => r.name).sort()).toEqual(["dir", "enc", "encs3", "ext", "s3", "s3c", "vault"]);
  });

  it("pairs a vault remote with an S3 remote of ours: address, file prefix and chunk size", () => {
    expect(migrationSetup(remotes, "vault", "s3")).toEqual({
      sameUuid: false,
      address: "s3://b/moved",
      filePrefix: "",
      chunkSize: undefined,
    });
    expect(migrationSetup(remotes, "ext", "s3c")).toEqual({
      sameUuid: false,
      address: "s3://b",
      filePrefix: "f/",
      chunkSize: 1024 * 1024,
    });
    expect(migrationSetup(remotes, "enc", "encs3").sameUuid).toBe(true);
  });

  it("refuses what cannot read the vault's objects, in one line each", () => {
    const refusal = (from: string, to: string) => () => migrationSetup(remotes, from, to);
    expect(refusal("nope", "s3")).toThrow("nope: no special remote of that name");
    expect(refusal("dir", "s3")).toThrow("--from dir: not a vault remote");
    expect(refusal("vault", "ext")).toThrow("--to ext: not an S3 remote");
    expect(refusal("enc", "s3")).toThrow(/uses encryption=shared: .* --sameas=enc/);
    expect(refusal("ext", "s3")).toThrow("--to s3 has chunk=(none) but ext has chunk=1MiB");
    expect(refusal("vault", "s3c")).toThrow("--to s3c has chunk=1MiB but vault has chunk=(none)");
  });
});
