// Which rows a connection sees. glacier-cli keyed rows by the connection's access key id, which made
// the cache look empty when temporary credentials rotated and conflated regions (docs/cache.md#namespaces)
//. Our namespace is what decides which vault a name refers to: the region and the
// service endpoint. Both are known without credentials or a network call, so `archive list` stays
// local. See README.md in this folder.

export interface CacheNamespace {
  /** The region the vaults live in, e.g. "us-east-1". */
  region: string;
  /**
   * The service the vaults live on: undefined for Amazon's own Glacier endpoints, otherwise the
   * endpoint as configured (`http://127.0.0.1:9000`, `local:/abs/dir`).
   */
  endpoint?: string;
}

/**
 * The value stored in glacier-cli's NOT NULL `key` column for our rows: `glacier:REGION` for AWS,
 * `glacier:REGION:ENDPOINT` otherwise. It can never equal an access key id (AKIA.../ASIA...), so
 * glacier-cli, which filters on its own key, simply does not see our rows, and vice versa for
 * writes: it never overwrites them.
 */
export function namespaceKey(ns: CacheNamespace): string {
  const region = ns.region.trim();
  if (region === "" || /\s/.test(region))
    throw new RangeError(`invalid region for the cache namespace: ${JSON.stringify(ns.region)}`);
  return ns.endpoint === undefined ? `glacier:${region}` : `glacier:${region}:${ns.endpoint}`;
}

/**
 * Rows written by glacier-cli (region NULL) carry an access key and no region. They were written
 * against Amazon's endpoints, so every AWS namespace sees them until a write in that namespace
 * (upload, delete, sync) claims them; custom endpoints never see them.
 */
export function seesLegacyRows(ns: CacheNamespace): boolean {
  return ns.endpoint === undefined;
}
