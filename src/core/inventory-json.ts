// Incremental parser for JSON inventory output (docs/glacier-api.md#inventories):
//   {"VaultARN": "...", "InventoryDate": "2013-11-06T02:51:29Z", "ArchiveList": [{...}, ...]}
// Bytes go in as they arrive; archives come out as soon as each closes. Memory stays bounded by
// one archive entry: @streamparser/json (a dependency-free streaming tokenizer) emits
// `$.ArchiveList.*` values and, with keepStack off, drops them from the list it would otherwise
// build. Only the top-level keys we need are emitted, so the root never holds the list either.
import { JSONParser } from "@streamparser/json";
import { ConsoleError } from "./errors.ts";
import { malformedInventory, parseIsoDate, toInventoryArchive } from "./inventory-record.ts";
import type { InventoryArchive } from "./types.ts";

export class JsonInventoryParser {
  readonly #parser = new JSONParser({ paths: ["$.VaultARN", "$.InventoryDate", "$.ArchiveList.*"], keepStack: false });
  #ready: InventoryArchive[] = [];
  #count = 0;
  #ended = false;
  #vaultArn: string | null = null;
  #inventoryDate: number | null = null;

  constructor() {
    this.#parser.onValue = ({ value, key, stack }) => {
      if (stack.length === 1 && key === "VaultARN") this.#vaultArn = this.#header("VaultARN", value);
      else if (stack.length === 1 && key === "InventoryDate") this.#inventoryDate = this.#date(value);
      else if (stack.length === 2) this.#archive(value);
    };
    // The tokenizer reports a truncated document through onError at end(); throw it from there.
    this.#parser.onError = (error) => {
      throw error;
    };
    this.#parser.onEnd = () => {
      this.#ended = true;
    };
  }

  get vaultArn(): string | null {
    return this.#vaultArn;
  }

  /** InventoryDate in epoch ms, once it has been read (it comes before ArchiveList in Glacier's output). */
  get inventoryDate(): number | null {
    return this.#inventoryDate;
  }

  /** Feeds bytes; returns the archives completed by them. */
  push(chunk: Uint8Array): InventoryArchive[] {
    if (this.#ended && chunk.length > 0 && !isWhitespace(chunk))
      throw malformedInventory("data after the end of the JSON document");
    this.#guard(() => {
      this.#parser.write(chunk);
    });
    return this.#release();
  }

  /** Ends the input: checks the document was complete and had an InventoryDate. */
  end(): InventoryArchive[] {
    if (!this.#ended)
      this.#guard(() => {
        this.#parser.end();
      });
    if (!this.#ended) throw malformedInventory("the JSON document is incomplete");
    if (this.#inventoryDate === null) throw malformedInventory("InventoryDate is missing");
    return this.#release();
  }

  #release(): InventoryArchive[] {
    // Archives wait for InventoryDate only if a writer put it after the list (Glacier does not).
    if (this.#inventoryDate === null) return [];
    const out = this.#ready;
    this.#ready = [];
    return out;
  }

  #archive(value: unknown): void {
    this.#count += 1;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw malformedInventory(`archive ${this.#count}: not an object`);
    this.#ready.push(toInventoryArchive(value, `archive ${this.#count}`));
  }

  #header(key: string, value: unknown): string {
    if (typeof value !== "string") throw malformedInventory(`${key} is not a string`);
    return value;
  }

  #date(value: unknown): number {
    const date = parseIsoDate(this.#header("InventoryDate", value));
    if (date === undefined)
      throw malformedInventory(`InventoryDate is not an ISO-8601 UTC date: ${JSON.stringify(value)}`);
    return date;
  }

  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof ConsoleError) throw error;
      throw malformedInventory(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

function isWhitespace(chunk: Uint8Array): boolean {
  return chunk.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09);
}
