/**
 * JSON Merge Patch (RFC 7396, section 2), for every key a JSON object can have. Objects are built
 * on a null prototype and read with `Object.hasOwn`, so keys like `__proto__`, `constructor` or
 * `hasOwnProperty` are plain data: nothing is inherited, no assignment reaches a prototype setter.
 * (The `json-merge-patch` package stopped at such keys, dropping them and every key after them,
 * and called `target.hasOwnProperty`, which a stored key of that name shadows.)
 * Inputs come from JSON.parse, which keeps `__proto__` as an own key; they are never mutated.
 */
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export const applyMergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isObject(patch)) return patch;
  const result: JsonObject = Object.create(null);
  if (isObject(target)) for (const key of Object.keys(target)) result[key] = target[key];
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value);
  }
  return result;
};
