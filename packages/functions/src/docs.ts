import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hono } from "hono";

/**
 * `/docs`: Swagger UI over `/openapi.json`, its script and styles served from the
 * `swagger-ui-dist` package, so the page renders with no internet access.
 */

/**
 * The page's Content-Security-Policy: scripts from this service only (the bundle and init.js; no
 * inline script, no eval), and what Swagger UI 5 itself needs: inline styles (it sets style
 * attributes, and the page has one <style>), `data:` images (its icons), fetches to this origin
 * (the document, "Try it out"). No framing, no <base>, no form posts. test/docs.browser.test.ts
 * proves the page works under it with no violation.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
const ASSETS = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
} as const;

const distDir = () => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const cache = new Map<string, Promise<Buffer>>();
const asset = (file: keyof typeof ASSETS) => {
  let p = cache.get(file);
  if (!p) {
    p = readFile(join(distDir(), file));
    cache.set(file, p);
  }
  return p;
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>User IAM API reference</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
  <style>body{margin:0} .topbar{display:none}</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({
  url: new URL("openapi.json", document.baseURI).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false, // an entered API key or token stays in the page, never in localStorage
  tryItOutEnabled: true,
  filter: true,
  displayRequestDuration: true,
});`;

export const mountDocs = (app: Hono) => {
  app.get("/docs", (c) => c.html(page, 200, { "content-security-policy": DOCS_CSP }));
  app.get("/docs/init.js", (c) => c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (!Object.hasOwn(ASSETS, file)) return c.json({ message: "Not found", code: "NOT_FOUND" }, 404);
    const name = file as keyof typeof ASSETS;
    const body = await asset(name);
    return c.body(new Uint8Array(body), 200, {
      "content-type": ASSETS[name],
      "cache-control": "public, max-age=86400",
    });
  });
};
