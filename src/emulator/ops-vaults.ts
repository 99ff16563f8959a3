// HTTP handlers of the vault-level operations (docs/glacier-api.md#operations "Vaults" and "Account level").
import { invalid } from "./api-error.ts";
import { emptyResponse, jsonResponse, readJson } from "./http.ts";
import {
  addTags,
  createVault,
  deleteVault,
  describeVault,
  getAccessPolicy,
  getNotifications,
  getVault,
  listVaults,
  removeTags,
  setNotifications,
} from "./model-vaults.ts";
import { type Handler, locationPrefix, pageLimit } from "./op-context.ts";
import type { RetrievalPolicyRule } from "./state.ts";

export const CreateVault: Handler = async (ctx) => {
  await ctx.env.transact((s, t) => {
    createVault(s, ctx.env.config, t, ctx.vault);
  });
  return emptyResponse(201, { Location: locationPrefix(ctx) });
};

export const DescribeVault: Handler = async (ctx) => {
  const view = await ctx.env.read((s) => describeVault(ctx.env.config, getVault(s, ctx.env.config, ctx.vault)));
  return jsonResponse(200, view);
};

export const ListVaults: Handler = async (ctx) => {
  const limit = pageLimit(ctx.query, ctx.env.config.pageMax.vaults);
  const page = await ctx.env.read((s) => listVaults(s, ctx.env.config, limit, ctx.query.get("marker")));
  return jsonResponse(200, page);
};

export const DeleteVault: Handler = async (ctx) => {
  const uploads = await ctx.env.transact((s) => deleteVault(s, ctx.env.config, ctx.vault));
  await ctx.env.store.remove(...uploads.map((id) => ctx.env.store.uploadDir(id)));
  return emptyResponse(204);
};

export const AddOrRemoveTags: Handler = async (ctx) => {
  const operation = ctx.query.get("operation");
  const body = await readJson(ctx.req.body);
  if (operation !== "add" && operation !== "remove") throw invalid(`Invalid operation: ${operation ?? "null"}`);
  await ctx.env.transact((s) => {
    const vault = getVault(s, ctx.env.config, ctx.vault);
    if (operation === "add") {
      const tags = body["Tags"] ?? {};
      if (typeof tags !== "object" || Object.values(tags).some((v) => typeof v !== "string"))
        throw invalid("Invalid Tags");
      addTags(vault, tags as Record<string, string>);
    } else {
      const keys = body["TagKeys"] ?? [];
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) throw invalid("Invalid TagKeys");
      removeTags(vault, keys as string[]);
    }
  });
  return emptyResponse(204);
};

export const ListTagsForVault: Handler = async (ctx) => {
  const tags = await ctx.env.read((s) => ({ ...getVault(s, ctx.env.config, ctx.vault).tags }));
  return jsonResponse(200, { Tags: tags });
};

export const SetVaultNotifications: Handler = async (ctx) => {
  const body = await readJson(ctx.req.body);
  await ctx.env.transact((s) => {
    setNotifications(getVault(s, ctx.env.config, ctx.vault), body);
  });
  return emptyResponse(204);
};

export const GetVaultNotifications: Handler = async (ctx) => {
  const config = await ctx.env.read((s) => getNotifications(ctx.env.config, getVault(s, ctx.env.config, ctx.vault)));
  return jsonResponse(200, config);
};

export const DeleteVaultNotifications: Handler = async (ctx) => {
  await ctx.env.transact((s) => (getVault(s, ctx.env.config, ctx.vault).notifications = null));
  return emptyResponse(204);
};

export const SetVaultAccessPolicy: Handler = async (ctx) => {
  const body = await readJson(ctx.req.body);
  if (typeof body["Policy"] !== "string") throw invalid("Policy must be a string holding the policy document");
  await ctx.env.transact((s) => (getVault(s, ctx.env.config, ctx.vault).accessPolicy = body["Policy"] as string));
  return emptyResponse(204);
};

export const GetVaultAccessPolicy: Handler = async (ctx) => {
  const policy = await ctx.env.read((s) => getAccessPolicy(ctx.env.config, getVault(s, ctx.env.config, ctx.vault)));
  return jsonResponse(200, { Policy: policy });
};

export const DeleteVaultAccessPolicy: Handler = async (ctx) => {
  await ctx.env.transact((s) => (getVault(s, ctx.env.config, ctx.vault).accessPolicy = null));
  return emptyResponse(204);
};

export const GetDataRetrievalPolicy: Handler = async (ctx) => {
  const rules = await ctx.env.read((s) => s.retrievalPolicy);
  return jsonResponse(200, { Policy: { Rules: rules } });
};

// "SetDataRetrievalPolicy: exactly one rule; BytesPerHour only with that strategy".
export const SetDataRetrievalPolicy: Handler = async (ctx) => {
  const body = await readJson(ctx.req.body);
  const rules = (body["Policy"] as { Rules?: unknown } | undefined)?.Rules;
  if (!Array.isArray(rules) || rules.length !== 1)
    throw invalid("The data retrieval policy must have exactly one rule");
  const rule = rules[0] as Record<string, unknown>;
  const strategy = rule["Strategy"];
  if (strategy !== "BytesPerHour" && strategy !== "FreeTier" && strategy !== "None")
    throw invalid(`Invalid strategy: ${String(strategy)}`);
  const bytes = rule["BytesPerHour"];
  if (
    strategy === "BytesPerHour"
      ? typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 1
      : bytes !== undefined
  ) {
    throw invalid("BytesPerHour must be given, as a positive integer, exactly when the strategy is BytesPerHour");
  }
  const next: RetrievalPolicyRule =
    strategy === "BytesPerHour" ? { Strategy: strategy, BytesPerHour: bytes as number } : { Strategy: strategy };
  await ctx.env.transact((s) => (s.retrievalPolicy = [next]));
  return emptyResponse(204);
};
