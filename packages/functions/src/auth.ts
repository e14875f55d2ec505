import { AppError, ApiKey } from "@iam/core";

/** The machine caller, if its key is valid and carries `scope` (401 without a valid key, 403 without the scope). */
export const authorizeKey = async (presented: string | null, scope: ApiKey.Scope): Promise<ApiKey.Machine> => {
  if (!presented) throw new AppError("UNAUTHORIZED", "Missing x-api-key header");
  const caller = await ApiKey.authenticate(presented);
  if (!caller.scopes.has(scope)) throw new AppError("FORBIDDEN", `This API key lacks the '${scope}' scope`);
  return caller;
};

export const bearerToken = (authorization: string | null): string => {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "Missing bearer token");
  return match[1];
};
