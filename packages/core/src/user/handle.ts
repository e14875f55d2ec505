/** `cortney_gutkowski67` → `@CortneyGutkowski67`: `@` + PascalCase of the name's parts. */
export const handleFromName = (name: string): string =>
  "@" +
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/** Accepts `@Handle`, `Handle` (and the URL-decoded `%40Handle`), returns the canonical lookup key. */
export const handleKey = (handle: string): string => {
  const bare = handle.startsWith("@") ? handle.slice(1) : handle;
  return `@${bare}`.toLowerCase();
};
