import createClient from "openapi-fetch";
import { authHeaders, baseUrl, type IamClientOptions } from "./auth.ts";
import type { paths } from "./rest-types.ts";

/**
 * The REST client, typed from the OpenAPI document (openapi-fetch over the generated `paths`):
 * `rest.GET("/user/{id}", { params: { path: { id } } })` → `{ data, error, response }`, where
 * `data` is the success body and `error` the `{ message, code, issues? }` body.
 */
export const createIamRestClient = (options: IamClientOptions) => {
  const client = createClient<paths>({
    baseUrl: baseUrl(options.url),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await authHeaders(options))) request.headers.set(name, value);
      return request;
    },
  });
  return client;
};

export type IamRestClient = ReturnType<typeof createIamRestClient>;
