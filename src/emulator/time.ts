// docs/glacier-api.md#data-formats: "emulator: ms for API objects, seconds in inventories".

export const isoMillis = (ms: number): string => new Date(ms).toISOString();
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** Parses an ISO-8601 date as InventoryRetrievalParameters carry them; NaN when invalid. */
export function parseIsoDate(text: string): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(text)) return Number.NaN;
  return Date.parse(text);
}
