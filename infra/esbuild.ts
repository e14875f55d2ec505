/**
 * What SST 4 adds when it bundles a Node function (pkg/runtime/node/build.go), for the two places
 * that rebuild the `Api` bundle outside SST: test/bundle.test.ts and bench/. Not an SST component.
 */
/** ESM banner: a `require`, `__filename` and `__dirname` for CommonJS code inside the bundle. */
export const SST_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

/** Always left out by SST (native addons). */
export const SST_FORCE_EXTERNAL = ["sharp", "pg-native"];
