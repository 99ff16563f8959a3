// A small SpecialRemote for the session tests: an in-memory key store that implements our port and
// uses the context the way the Glacier remote will (config, state, progress). Keys ask for special
// behaviour by name: PENDING (retrieval not ready), UNKNOWN / THROW (cannot tell), LOCKED (remove
// fails), BUG (a programming error).
import { ConsoleError, PendingError, ServiceError } from "../../src/core/errors.ts";
import { QueryRefusedError } from "../../src/annex/channel.ts";
import type { Presence, RemoteContext, SpecialRemote, UrlCheck } from "../../src/annex/remote.ts";

export interface MemoryRemote extends SpecialRemote {
  /** Stored keys (latin1) and the File they were stored from. */
  readonly objects: Map<string, Uint8Array>;
  /** Files written by RETRIEVE, by key. */
  readonly retrieved: Map<string, Uint8Array>;
}

const name = (key: Uint8Array) => Buffer.from(key).toString("latin1");

export function memoryRemote(overrides: Partial<SpecialRemote> = {}): MemoryRemote {
  const objects = new Map<string, Uint8Array>();
  const retrieved = new Map<string, Uint8Array>();
  let vault = "";

  const requireKey = (key: Uint8Array) => {
    if (name(key).includes("BUG")) throw new TypeError("cannot read properties of undefined");
  };

  return {
    objects,
    retrieved,
    async initRemote(context: RemoteContext) {
      const value = await context.getConfig("vault");
      if (value === "") throw new ConsoleError("missing vault=NAME");
      await context.setConfig("vault", value);
      try {
        await context.getUuid();
      } catch (error) {
        // Probing processes cannot answer GETUUID (docs/annex-protocol.md#messages); initialisation goes on.
        if (!(error instanceof QueryRefusedError)) throw error;
      }
    },
    async prepare(context) {
      vault = await context.getConfig("vault");
      if (vault === "") throw new ConsoleError("remote not initialised (no vault)");
    },
    async store(context, key, file) {
      requireKey(key);
      if (objects.has(name(key))) return;
      await context.progress(0);
      objects.set(name(key), file);
      await context.progress(file.length);
      await context.setState(key, `archive-${objects.size}`);
    },
    async retrieve(context, key, file) {
      requireKey(key);
      if (!objects.has(name(key))) throw new ConsoleError("not present in this remote");
      if (name(key).includes("PENDING")) throw new PendingError("retrieval job J1 initiated; not available yet");
      retrieved.set(name(key), file);
      await context.progress(10);
    },
    async checkPresent(context, key): Promise<Presence> {
      requireKey(key);
      if (name(key).includes("THROW")) throw new ServiceError("vault not reachable\nretry later");
      if (name(key).includes("UNKNOWN")) return { kind: "unknown", reason: "inventory is 3 days old" };
      if (objects.has(name(key))) return { kind: "present" };
      return (await context.getState(key)) === "" ? { kind: "absent" } : { kind: "present" };
    },
    remove(_context, key) {
      return new Promise((resolve) => {
        requireKey(key);
        if (name(key).includes("LOCKED")) throw new ConsoleError("vault locked");
        objects.delete(name(key));
        resolve();
      });
    },
    listConfigs: () => Promise.resolve([{ name: "vault", description: "the Glacier vault name" }]),
    getCost: () => Promise.resolve(1000),
    getAvailability: () => Promise.resolve("GLOBAL"),
    async whereis(context, key) {
      const state = await context.getState(key);
      return state === "" ? undefined : `${vault} ${state}`;
    },
    getInfo: () => Promise.resolve([{ name: "vault", value: vault }]),
    claimUrl: (_context, url) => Promise.resolve(name(url).startsWith("memory:")),
    checkUrl: (_context, url) => Promise.resolve(checkMemoryUrl(url)),
    ...overrides,
  };
}

/** What CHECKURL finds at a memory: url (one file, several, or none). */
function checkMemoryUrl(url: Uint8Array): UrlCheck {
  if (name(url) === "memory:several") {
    return {
      kind: "multi",
      entries: [
        { url: Buffer.from("memory:a"), size: 3, filename: Buffer.from("a") },
        { url: Buffer.from("memory:b"), size: undefined, filename: Buffer.from("b") },
      ],
    };
  }
  if (name(url).startsWith("memory:")) return { kind: "contents", size: undefined, filename: Buffer.from("file name") };
  return { kind: "failure", message: "not a memory: url" };
}
