import { ApiKey } from "@iam/core";
import { rest } from "../helpers.ts";

/** Creates a machine key through the admin API (with the bootstrap key). */
export const createKey = async (scopes: readonly ApiKey.Scope[], extra: Record<string, unknown> = {}) => {
  const res = await rest("/admin/keys", {
    method: "POST",
    body: { name: `test ${scopes.join("+")}`, scopes, ...extra },
  });
  if (res.status !== 200) throw new Error(`createKey: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as { apiKey: string; keyId: string; scopes: ApiKey.Scope[] };
};

export const allScopesBut = (scope: ApiKey.Scope) => ApiKey.SCOPES.filter((s) => s !== scope);
