import { procedures } from "./procedures.ts";
import type { Meta } from "./trpc.ts";

const metaOf = (path: string): Meta | undefined => procedures[path]?._def.meta;

/**
 * The `Location` of what a successful call created, when its procedure's meta says it creates one
 * (`created.location`, a path template filled from the output's members); else undefined. For one
 * call only: a tRPC batch has no single resource to point at.
 */
export const createdLocation = (
  paths: readonly string[] | undefined,
  data: readonly unknown[] | undefined,
): string | undefined => {
  const [path, ...more] = paths ?? [];
  const template = path === undefined || more.length > 0 ? undefined : metaOf(path)?.created?.location;
  const output = data?.[0];
  if (!template || typeof output !== "object" || output === null) return undefined;
  let complete = true;
  const location = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value: unknown = Reflect.get(output, name);
    if (typeof value !== "string" && typeof value !== "number") complete = false;
    return encodeURIComponent(String(value));
  });
  return complete ? location : undefined;
};
