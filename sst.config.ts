/*
 * SST v4 app: the whole service on AWS. Resources live in infra/, one file per concern; this file
 * only names the app and loads them. Types: infra/globals.d.ts (offline stand-in for
 * .sst/platform/config.d.ts). Structure is checked by test/infra.test.ts; see docs/DEPLOY.md.
 */
import { isProduction } from "./infra/stage.ts";

export default $config({
  app(input) {
    const production = isProduction(input?.stage);
    return {
      name: "user-iam",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    await import("./infra/storage.ts");
    await import("./infra/auth.ts");
    await import("./infra/secrets.ts");
    const { httpApi } = await import("./infra/api.ts");
    await import("./infra/reconciler.ts");
    await import("./infra/events.ts");
    return {
      api: httpApi.url,
      docs: $interpolate`${httpApi.url}/docs`,
    };
  },
});
