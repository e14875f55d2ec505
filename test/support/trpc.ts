import { procedures } from "@iam/functions/procedures";
import { apiKey, baseUrl } from "../helpers.ts";

type TrpcError = { message: string; code?: number; data?: { code?: string; httpStatus?: number; issues?: unknown[] } };

/**
 * One procedure over tRPC's HTTP transport (/trpc) on the shared test server, as a client sends
 * it: a query as GET with `?input=`, a mutation as a POST of its JSON input (none when it has no
 * input) — which one, the router says. With the API key unless other headers are given.
 * `json` is the data or the error, as the REST side would answer it; `data` and `error` apart.
 */
export const viaTrpc = async (
  path: string,
  input?: unknown,
  headers: Record<string, string> = { "x-api-key": apiKey() },
) => {
  const type = procedures[path]?._def.type;
  if (!type) throw new Error(`no procedure ${path}`);
  const res =
    type === "query"
      ? await fetch(
          `${baseUrl()}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        )
      : await fetch(`${baseUrl()}/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(input ?? {}),
        });
  const body = (await res.json()) as { result?: { data: unknown }; error?: TrpcError };
  // Tests read the answer's fields freely, as they read REST's json.
  const data = body.result?.data as any;
  return { status: res.status, json: body.result ? body.result.data : body.error, data, error: body.error };
};
