// HTTP handlers of Vault Lock and provisioned capacity (glacier-api.md 1.5).
import { emptyResponse, jsonResponse, readJson } from "./http.ts";
import { abortLock, completeLock, describeLock, initiateLock, listCapacity, purchaseCapacity } from "./model-lock.ts";
import { getVault } from "./model-vaults.ts";
import type { Handler } from "./op-context.ts";

export const InitiateVaultLock: Handler = async (ctx) => {
  const body = await readJson(ctx.req.body);
  const [now, lockId] = await ctx.env.transact((s, t) => [t, initiateLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t, body["Policy"])] as const);
  return emptyResponse(now, 201, { "x-amz-lock-id": lockId });
};

export const CompleteVaultLock: Handler = async (ctx) => {
  const now = await ctx.env.transact((s, t) => (completeLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t, ctx.id), t));
  return emptyResponse(now, 204);
};

export const AbortVaultLock: Handler = async (ctx) => {
  const now = await ctx.env.transact((s, t) => (abortLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t), t));
  return emptyResponse(now, 204);
};

export const GetVaultLock: Handler = async (ctx) => {
  const [now, view] = await ctx.env.transact((s, t) => [t, describeLock(ctx.env.config, getVault(s, ctx.env.config, ctx.vault), t)] as const);
  return jsonResponse(now, 200, view);
};

export const PurchaseProvisionedCapacity: Handler = async (ctx) => {
  const [now, id] = await ctx.env.transact((s, t) => [t, purchaseCapacity(s, t)] as const);
  return emptyResponse(now, 201, { "x-amz-capacity-id": id });
};

export const ListProvisionedCapacity: Handler = async (ctx) => {
  const [now, list] = await ctx.env.transact((s, t) => [t, listCapacity(s, t)] as const);
  return jsonResponse(now, 200, list);
};
