// The operation table (docs/glacier-api.md#operations): method + path shape -> operation name and handler.
// Shapes are relative to /{accountId}; ":v" is the vault name, ":id" an archive/upload/job/lock ID.
import type { Handler } from "./op-context.ts";
import * as archives from "./ops-archives.ts";
import * as jobs from "./ops-jobs.ts";
import * as lock from "./ops-lock.ts";
import * as multipart from "./ops-multipart.ts";
import * as vaults from "./ops-vaults.ts";
import { defined } from "../core/errors.ts";

interface Route {
  operation: string;
  method: string;
  shape: string[];
  handler: Handler;
}

const table: [string, string, string, Handler][] = [
  ["ListVaults", "GET", "vaults", vaults.ListVaults],
  ["CreateVault", "PUT", "vaults/:v", vaults.CreateVault],
  ["DescribeVault", "GET", "vaults/:v", vaults.DescribeVault],
  ["DeleteVault", "DELETE", "vaults/:v", vaults.DeleteVault],
  ["AddTagsToVault", "POST", "vaults/:v/tags", vaults.AddOrRemoveTags],
  ["ListTagsForVault", "GET", "vaults/:v/tags", vaults.ListTagsForVault],
  ["SetVaultNotifications", "PUT", "vaults/:v/notification-configuration", vaults.SetVaultNotifications],
  ["GetVaultNotifications", "GET", "vaults/:v/notification-configuration", vaults.GetVaultNotifications],
  ["DeleteVaultNotifications", "DELETE", "vaults/:v/notification-configuration", vaults.DeleteVaultNotifications],
  ["SetVaultAccessPolicy", "PUT", "vaults/:v/access-policy", vaults.SetVaultAccessPolicy],
  ["GetVaultAccessPolicy", "GET", "vaults/:v/access-policy", vaults.GetVaultAccessPolicy],
  ["DeleteVaultAccessPolicy", "DELETE", "vaults/:v/access-policy", vaults.DeleteVaultAccessPolicy],
  ["UploadArchive", "POST", "vaults/:v/archives", archives.UploadArchive],
  ["DeleteArchive", "DELETE", "vaults/:v/archives/:id", archives.DeleteArchive],
  ["InitiateMultipartUpload", "POST", "vaults/:v/multipart-uploads", multipart.InitiateMultipartUpload],
  ["ListMultipartUploads", "GET", "vaults/:v/multipart-uploads", multipart.ListMultipartUploads],
  ["UploadMultipartPart", "PUT", "vaults/:v/multipart-uploads/:id", multipart.UploadMultipartPart],
  ["CompleteMultipartUpload", "POST", "vaults/:v/multipart-uploads/:id", multipart.CompleteMultipartUpload],
  ["AbortMultipartUpload", "DELETE", "vaults/:v/multipart-uploads/:id", multipart.AbortMultipartUpload],
  ["ListParts", "GET", "vaults/:v/multipart-uploads/:id", multipart.ListParts],
  ["InitiateJob", "POST", "vaults/:v/jobs", jobs.InitiateJob],
  ["ListJobs", "GET", "vaults/:v/jobs", jobs.ListJobs],
  ["DescribeJob", "GET", "vaults/:v/jobs/:id", jobs.DescribeJob],
  ["GetJobOutput", "GET", "vaults/:v/jobs/:id/output", jobs.GetJobOutput],
  ["InitiateVaultLock", "POST", "vaults/:v/lock-policy", lock.InitiateVaultLock],
  ["CompleteVaultLock", "POST", "vaults/:v/lock-policy/:id", lock.CompleteVaultLock],
  ["AbortVaultLock", "DELETE", "vaults/:v/lock-policy", lock.AbortVaultLock],
  ["GetVaultLock", "GET", "vaults/:v/lock-policy", lock.GetVaultLock],
  ["PurchaseProvisionedCapacity", "POST", "provisioned-capacity", lock.PurchaseProvisionedCapacity],
  ["ListProvisionedCapacity", "GET", "provisioned-capacity", lock.ListProvisionedCapacity],
  ["GetDataRetrievalPolicy", "GET", "policies/data-retrieval", vaults.GetDataRetrievalPolicy],
  ["SetDataRetrievalPolicy", "PUT", "policies/data-retrieval", vaults.SetDataRetrievalPolicy],
];

const ROUTES: Route[] = table.map(([operation, method, shape, handler]) => ({
  operation,
  method,
  shape: shape.split("/"),
  handler,
}));

export interface Match {
  operation: string;
  handler: Handler;
  vault: string;
  id: string;
}

/** Finds the route for decoded path segments (after the account ID); "method" mismatch included. */
export function matchRoute(method: string, segments: readonly string[]): Match | { pathKnown: boolean } {
  let pathKnown = false;
  for (const route of ROUTES) {
    if (route.shape.length !== segments.length) continue;
    let vault = "";
    let id = "";
    const ok = route.shape.every((part, i) => {
      const seg = defined(segments[i], "segments[i]");
      if (part === ":v") return ((vault = seg), seg !== "");
      if (part === ":id") return ((id = seg), seg !== "");
      return part === seg;
    });
    if (!ok) continue;
    pathKnown = true;
    if (route.method === method) return { operation: route.operation, handler: route.handler, vault, id };
  }
  return { pathKnown };
}
