// HTTP handlers of Vault Lock and provisioned capacity (docs/glacier-api.md#operations).
import { emptyResponse, jsonResponse, readJson } from "./http.ts";
import { abortLock, completeLock, describeLock, initiateLock, listCapacity, purchaseCapacity } from "./model-lock.ts";
import { getVault } from "./model-vaults.ts";
import type { Handler } from "./op-context.ts";

export const InitiateVaultLock: Handler = async (ctx) => {
  const body = await readJson(ctx.req.body);
  const lockId = await ctx.env.transact((s, t) =>
    initiateLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t, body["Policy"]),
  );
  return emptyResponse(201, { "x-amz-lock-id": lockId });
};

export const CompleteVaultLock: Handler = async (ctx) => {
  await ctx.env.transact((s, t) => {
    completeLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t, ctx.id);
  });
  return emptyResponse(204);
};

export const AbortVaultLock: Handler = async (ctx) => {
  await ctx.env.transact((s, t) => {
    abortLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t);
  });
  return emptyResponse(204);
};

export const GetVaultLock: Handler = async (ctx) => {
  const view = await ctx.env.read((s, t) => describeLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t));
  return jsonResponse(200, view);
};

export const PurchaseProvisionedCapacity: Handler = async (ctx) => {
  const id = await ctx.env.transact((s, t) => purchaseCapacity(s, t));
  return emptyResponse(201, { "x-amz-capacity-id": id });
};

export const ListProvisionedCapacity: Handler = async (ctx) => {
  const list = await ctx.env.read((s, t) => listCapacity(s, t));
  return jsonResponse(200, list);
};
