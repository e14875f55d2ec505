import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";
import { iamBff, type BffOptions } from "./bff.ts";

/** The BFF's settings from the environment: IAM_URL (the service) and IAM_API_KEY (server side only). */
export const bffOptionsFromEnv = (env: NodeJS.ProcessEnv): BffOptions => {
  const iamUrl = env.IAM_URL;
  const apiKey = env.IAM_API_KEY;
  if (!iamUrl || !apiKey) {
    throw new Error(
      "Set IAM_URL and IAM_API_KEY, e.g. IAM_URL=http://127.0.0.1:3000 IAM_API_KEY=$(cat .iam-local/api-key)",
    );
  }
  return { iamUrl: iamUrl.replace(/\/+$/, ""), apiKey };
};

/**
 * The example's Vite config. `/trpc` is proxied to the service, so the page is same-origin with
 * it (no CORS allow-list entry needed) and `/bff/login` is the plugin above.
 */
export const webConfig = (options: BffOptions): UserConfig => ({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [iamBff(options)],
  server: { proxy: { "/trpc": { target: options.iamUrl, changeOrigin: true } } },
  preview: { proxy: { "/trpc": { target: options.iamUrl, changeOrigin: true } } },
});

export default defineConfig(() => webConfig(bffOptionsFromEnv(process.env)));
