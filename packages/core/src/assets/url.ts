import { Config } from "../config.ts";

/** Public URL of an object in the assets bucket (icons and avatars are publicly readable). */
export const assetUrl = (key: string): string => `${Config.assetsBaseUrl}/${key.split("/").map(encodeURIComponent).join("/")}`;
