import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConsoleError, FileError } from "../core/errors.ts";
import { BUILT_IN_PRICES, BUILT_IN_S3_PRICES, costModelFor, loadPriceTable } from "./price-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "price-file-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("price file", () => {
  it("uses the built-in table of 2026 when no file is given", async () => {
    expect(await loadPriceTable(undefined)).toBe(BUILT_IN_PRICES);
    expect(BUILT_IN_PRICES.asOf).toBe("2026-11-27");
  });

  it("replaces the built-in table with the prices of a JSON file", async () => {
    const path = join(dir, "prices.json");
    const mine = {
      ...BUILT_IN_PRICES,
      asOf: "2027-01-15",
      regions: { "us-east-1": { ...BUILT_IN_PRICES.regions["us-east-1"]!, storagePerGbMonth: 0.0036 } },
    };
    await writeFile(path, JSON.stringify(mine));
    const table = await loadPriceTable(path);
    expect(table.asOf).toBe("2027-01-15");
    expect(Object.keys(table.regions)).toEqual(["us-east-1"]);
    expect(table.regions["us-east-1"]?.storagePerGbMonth).toBe(0.0036);
  });

  it("reports a missing file with the system's reason", async () => {
    const path = join(dir, "missing.json");
    await expect(loadPriceTable(path)).rejects.toThrow(new FileError(path, "No such file or directory"));
  });

  it("reports a file that is not JSON as not a price table", async () => {
    const path = join(dir, "bad.json");
    await writeFile(path, "{ storage: cheap }");
    await expect(loadPriceTable(path)).rejects.toThrow(ConsoleError);
    await expect(loadPriceTable(path)).rejects.toThrow(/^.*bad\.json: not a price table: /);
  });
});

describe("cost model of a backend", () => {
  it("prices a vault with the vault table and an S3 class with the S3 table", async () => {
    expect((await costModelFor({ kind: "vault" }, "us-east-1", undefined)).label).toBe(
      "us-east-1 prices of 2026-11-27",
    );
    const s3 = await costModelFor({ kind: "s3", storageClass: "DEEP_ARCHIVE" }, "us-east-1", undefined);
    expect(s3.label).toBe("us-east-1 S3 DEEP_ARCHIVE prices of 2026-12-02");
    expect(s3.minimumStorageDays).toBe(180);
  });

  it("reads an S3 price file for an S3 backend and refuses a vault table there with one clear error", async () => {
    const path = join(dir, "s3.json");
    await writeFile(path, JSON.stringify({ ...BUILT_IN_S3_PRICES, asOf: "2027-02-01" }));
    const model = await costModelFor({ kind: "s3", storageClass: "GLACIER" }, "eu-west-1", path);
    expect(model.label).toBe("us-east-1 S3 GLACIER prices of 2027-02-01 (none listed for eu-west-1)");
    const vault = join(dir, "vault.json");
    await writeFile(vault, JSON.stringify(BUILT_IN_PRICES));
    await expect(costModelFor({ kind: "s3", storageClass: "GLACIER" }, "us-east-1", vault)).rejects.toThrow(
      new ConsoleError(`${vault}: not an S3 price table: regions.us-east-1.classes must be an object`),
    );
  });
});
