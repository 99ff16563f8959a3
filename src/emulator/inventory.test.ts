// Inventory timing and rendering on the pure model (docs/glacier-api.md#vault-counters,
// docs/glacier-api.md#inventories).
import { describe, expect, it } from "vitest";
import { modelConfig } from "./index.ts";
import { housekeeping } from "./housekeeping.ts";
import { inventoryParams, renderInventory } from "./inventory.ts";
import { addArchive, deleteArchive } from "./model-archives.ts";
import { createVault, describeVault, getVault } from "./model-vaults.ts";
import { emptyState } from "./state.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const config = modelConfig({ dataDir: "unused" });
const archive = (size: number) => ({ description: "", size, treeHash: "0".repeat(64), sha256: "" });

function vaultWithUpload() {
  const state = emptyState();
  createVault(state, config, T0, "v");
  const a = addArchive(state, config, T0 + HOUR, "v", archive(100));
  return { state, a };
}

describe("inventories", () => {
  it("takes the first inventory one day after the first upload and counts from it", () => {
    const { state } = vaultWithUpload();
    housekeeping(state, config, T0 + 24 * HOUR);
    expect(describeVault(config, getVault(state, config, "v"))).toMatchObject({
      LastInventoryDate: null,
      NumberOfArchives: 0,
    });
    housekeeping(state, config, T0 + 25 * HOUR);
    expect(describeVault(config, getVault(state, config, "v"))).toMatchObject({
      LastInventoryDate: "2026-01-02T01:00:00Z",
      NumberOfArchives: 1,
      SizeInBytes: 100,
    });
  });

  it("does not take a new inventory when nothing changed, and at most one a day when it did", () => {
    const { state } = vaultWithUpload();
    housekeeping(state, config, T0 + 25 * HOUR);
    housekeeping(state, config, T0 + 100 * HOUR);
    expect(getVault(state, config, "v").inventory?.date).toBe(T0 + 25 * HOUR);
    addArchive(state, config, T0 + 101 * HOUR, "v", archive(5));
    housekeeping(state, config, T0 + 124 * HOUR);
    expect(getVault(state, config, "v").inventory?.archives).toHaveLength(1);
    housekeeping(state, config, T0 + 125 * HOUR);
    expect(getVault(state, config, "v").inventory).toMatchObject({
      date: T0 + 125 * HOUR,
      archives: [{ size: 100 }, { size: 5 }],
    });
  });

  it("still shows a deleted archive until the next inventory", () => {
    const { state, a } = vaultWithUpload();
    housekeeping(state, config, T0 + 25 * HOUR);
    deleteArchive(state, config, T0 + 26 * HOUR, "v", a.id);
    housekeeping(state, config, T0 + 30 * HOUR);
    expect(describeVault(config, getVault(state, config, "v"))).toMatchObject({ NumberOfArchives: 1 });
    housekeeping(state, config, T0 + 50 * HOUR);
    expect(describeVault(config, getVault(state, config, "v"))).toMatchObject({ NumberOfArchives: 0 });
  });

  it("in live mode reflects every change on the next request", () => {
    const live = modelConfig({ dataDir: "unused", inventoryLag: "live" });
    const state = emptyState();
    createVault(state, live, T0, "v");
    addArchive(state, live, T0 + 1, "v", archive(7));
    housekeeping(state, live, T0 + 2);
    expect(describeVault(live, getVault(state, live, "v"))).toMatchObject({ NumberOfArchives: 1, SizeInBytes: 7 });
  });

  it("in live mode reflects a change made in the same millisecond as the last inventory, after it", () => {
    const live = modelConfig({ dataDir: "unused", inventoryLag: "live" });
    const state = emptyState();
    createVault(state, live, T0, "v");
    addArchive(state, live, T0 + 1, "v", archive(7));
    housekeeping(state, live, T0 + 2);
    addArchive(state, live, T0 + 2, "v", archive(5));
    housekeeping(state, live, T0 + 3);
    expect(describeVault(live, getVault(state, live, "v"))).toMatchObject({ NumberOfArchives: 2, SizeInBytes: 12 });
  });

  it("pages an inventory with Limit and Marker and filters on creation dates", () => {
    const state = emptyState();
    createVault(state, config, T0, "v");
    const ids = [1, 2, 3].map((h) => addArchive(state, config, T0 + h * HOUR, "v", archive(h)).id);
    housekeeping(state, config, T0 + 30 * HOUR);
    const vault = getVault(state, config, "v");
    const first = renderInventory(vault, "arn", inventoryParams({ Limit: "2" }, undefined));
    expect((JSON.parse(first.body.toString()) as { ArchiveList: unknown[] }).ArchiveList).toHaveLength(2);
    expect(first.nextMarker).toBe(ids[2]);
    const rest = renderInventory(vault, "arn", inventoryParams({ Limit: "2", Marker: first.nextMarker }, undefined));
    expect(JSON.parse(rest.body.toString())).toMatchObject({ ArchiveList: [{ ArchiveId: ids[2], Size: 3 }] });
    expect(rest.nextMarker).toBeNull();
    const window = renderInventory(
      vault,
      "arn",
      inventoryParams({ StartDate: "2026-01-01T02:00:00Z", EndDate: "2026-01-01T03:00:00Z" }, "CSV"),
    );
    expect(window.body.toString().split("\n").filter(Boolean)).toHaveLength(2);
    expect(window.body.toString()).toContain(`${ids[1]},,2026-01-01T02:00:00Z,2,`);
  });

  it("rejects a non-numeric limit and an unknown format", () => {
    expect(() => inventoryParams({ Limit: "ten" }, undefined)).toThrow("Invalid limit: ten");
    expect(() => inventoryParams(undefined, "XML")).toThrow("Invalid format: XML");
  });
});
