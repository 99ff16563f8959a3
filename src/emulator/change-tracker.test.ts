import { describe, expect, it } from "vitest";
import { applyChanges, type Change, track } from "./change-tracker.ts";

type Doc = {
  jobs: Record<string, { id: string; n: number }>;
  list: { at: number }[];
  vaults: Record<
    string,
    { archives: Record<string, { id: string }>; inventory: { archives: { id: string }[] } | null }
  >;
};

const doc = (): Doc => ({
  jobs: { a: { id: "a", n: 1 }, b: { id: "b", n: 2 } },
  list: [{ at: 1 }],
  vaults: { v: { archives: { x: { id: "x" } }, inventory: null } },
});

describe("change tracker", () => {
  it("records each changed path once, with the value it ends with, and deletions by path alone", () => {
    const root = doc();
    const t = track(root);
    t.state.jobs["a"]!.n = 5;
    t.state.jobs["a"]!.n = 6;
    delete t.state.jobs["b"];
    t.state.jobs["c"] = { id: "c", n: 3 };
    expect(t.changes()).toEqual([[["jobs", "b"]], [["jobs", "c"], { id: "c", n: 3 }], [["jobs", "a", "n"], 6]]);
    expect(root.jobs["a"]!.n).toBe(6);
  });

  it("leaves out a change below a path that was replaced as a whole", () => {
    const t = track(doc());
    t.state.jobs["a"]!.n = 9;
    t.state.jobs = { z: { id: "z", n: 0 } };
    expect(t.changes()).toEqual([[["jobs"], { z: { id: "z", n: 0 } }]]);
  });

  it("records a change anywhere inside an array as the whole array", () => {
    const t = track(doc());
    t.state.list.push({ at: 2 });
    t.state.list[0]!.at = 7;
    expect(t.changes()).toEqual([[["list"], [{ at: 7 }, { at: 2 }]]]);
  });

  it("reports nothing changed after reads only", () => {
    const t = track(doc());
    expect(Object.values(t.state.jobs).map((j) => j.n)).toEqual([1, 2]);
    expect(t.changed()).toBe(false);
    expect(t.changes()).toEqual([]);
  });

  it("stores raw records, not proxies, when records read through it are stored elsewhere", () => {
    const root = doc();
    const t = track(root);
    const vault = t.state.vaults["v"]!;
    vault.inventory = { archives: Object.values(vault.archives) };
    // The inventory holds the archive records themselves, as it does without a tracker.
    const changes = t.changes();
    expect(changes).toEqual([[["vaults", "v", "inventory"], { archives: [{ id: "x" }] }]]);
    expect(root.vaults["v"]!.inventory!.archives[0]).toBe(root.vaults["v"]!.archives["x"]);
  });

  it("brings a copy of the old state to the new one by applying the changes", () => {
    const before = doc();
    const t = track(doc());
    t.state.jobs["a"]!.n = 4;
    delete t.state.jobs["b"];
    t.state.list.push({ at: 3 });
    t.state.vaults["w"] = { archives: {}, inventory: null };
    applyChanges(before, JSON.parse(JSON.stringify(t.changes())) as Change[]);
    expect(JSON.stringify(before)).toBe(JSON.stringify(t.state));
  });

  it(
    "applies a change to a record named __proto__ (a valid vault name) as an own property, as JSON.parse reads " + "it",
    () => {
      const state = doc();
      applyChanges(state, JSON.parse('[[["vaults", "__proto__"], {"archives": {}, "inventory": null}]]') as Change[]);
      expect(Object.hasOwn(state.vaults, "__proto__")).toBe(true);
      expect(Object.getPrototypeOf(state.vaults)).toBe(Object.prototype);
    },
  );

  it("records a record named __proto__ set by the model as an own property, not as the prototype", () => {
    const t = track(doc());
    t.state.vaults["__proto__"] = { archives: {}, inventory: null };
    expect(Object.hasOwn(t.state.vaults, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(t.state.vaults)).toBe(Object.prototype);
    const after = doc();
    applyChanges(after, JSON.parse(JSON.stringify(t.changes())) as Change[]);
    expect(JSON.stringify(after)).toBe(JSON.stringify(t.state));
  });
});
