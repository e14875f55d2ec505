import { Config } from "../config.ts";

/**
 * The assets bucket as the domain sees it: its key layout (prefixes.ts, pure, also read by infra)
 * and the public URL of an object.
 */
export * from "./prefixes.ts";

/** Public URL of an object in the assets bucket (icons and avatars are publicly readable). */
export const assetUrl = (key: string): string =>
  `${Config.assetsBaseUrl}/${key.split("/").map(encodeURIComponent).join("/")}`;
