import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunBrowser, launchBrowser } from "./browser.ts";
import { apiKey, baseUrl } from "./helpers.ts";

/**
 * /docs as a person sees it: Debian's headless Chromium opens the page on the local stack, with
 * every request watched. The reference must render every operation of /openapi.json from assets
 * the service itself serves, under its Content-Security-Policy with no violation, and "Try it out"
 * must work without the entered key being kept in the browser. A screenshot is kept in
 * test-results/ for a human to look at.
 */
const RUN = canRunBrowser("docs.browser.test.ts");
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

let browser: Browser;
beforeAll(async () => {
  if (!RUN) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe.runIf(RUN)("/docs in a browser", () => {
  it("lists every operation of the OpenAPI document, loading nothing from outside the service", async () => {
    const doc = (await (await fetch(`${baseUrl()}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(expected).toEqual(
      expect.arrayContaining([
        "GET /user/{id}",
        "POST /auth/login",
        "GET /public/user/me",
        "POST /user/{id}/badge/{name}",
      ]),
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requested: string[] = [];
    const pageErrors: string[] = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      requested.push(url.href);
      return url.protocol === "data:" || LOCAL_HOSTS.has(url.hostname) ? route.continue() : route.abort();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Everything the page's CSP refuses: the event, and the console line Chromium writes for it.
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      const report = (window as unknown as { reportViolation: (v: string) => void }).reportViolation;
      document.addEventListener("securitypolicyviolation", (e) => report(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });

    const response = await page.goto(`${baseUrl()}/docs`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self'(;|$)/);
    await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
    const listed = await page.$$eval(".opblock", (blocks) =>
      blocks.map((b) => {
        const method = b.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "";
        const path = b.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? "";
        return `${method} ${path}`;
      }),
    );
    expect(listed.sort()).toEqual(expected);
    await expect(page.title()).resolves.toBe("User IAM API reference");
    expect(await page.locator(".info .title").innerText()).toContain("User IAM API");

    await mkdir("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/docs.png", fullPage: true });

    // One operation opened: its example body and its documented errors are on the page.
    const register = page.locator(".opblock.opblock-post", {
      has: page.locator('.opblock-summary-path[data-path="/user"]'),
    });
    await register.locator(".opblock-summary").click();
    await register.locator(".responses-table").first().waitFor();
    expect(await register.innerText()).toContain('"name": "cortney_gutkowski67"');
    const codes = await register
      .locator("tr.response")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")));
    expect(codes).toEqual(expect.arrayContaining(["201", "400", "401", "409", "413", "429"]));
    await register.screenshot({ path: "test-results/docs-register.png" });

    // Authorize with the API key, call an operation ("Try it out"): it works under the CSP, and
    // the key is not kept in the browser's storage (persistAuthorization: false).
    await page.locator(".auth-wrapper .authorize").click();
    const dialog = page.locator(".dialog-ux .modal-ux");
    await dialog.locator("input[type=text], input[type=password]").first().fill(apiKey());
    await dialog.locator(".auth-btn-wrapper .authorize").first().click();
    await dialog.locator(".btn-done").first().click();
    const listKeys = page.locator(".opblock.opblock-get", {
      has: page.locator('.opblock-summary-path[data-path="/admin/keys"]'),
    });
    await listKeys.locator(".opblock-summary").click();
    await listKeys.locator(".execute").click(); // "Try it out" is on from the start (tryItOutEnabled)
    await listKeys.locator(".live-responses-table .response .response-col_status").first().waitFor({ timeout: 15_000 });
    expect(
      (await listKeys.locator(".live-responses-table .response .response-col_status").first().innerText()).trim(),
    ).toBe("200");
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toContain(apiKey());
    expect(await page.evaluate(() => localStorage.getItem("authorized"))).toBeNull();

    expect(violations).toEqual([]);
    const outside = requested.filter((u) => !u.startsWith("data:") && !LOCAL_HOSTS.has(new URL(u).hostname));
    expect(outside).toEqual([]);
    expect(requested).toContain(`${baseUrl()}/openapi.json`);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 90_000);
});
