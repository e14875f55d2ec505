import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import getPort from "get-port";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunBrowser, launchBrowser } from "./browser.ts";
import { apiKey, baseUrl, registered, rest } from "./helpers.ts";

/**
 * The example frontend (examples/web) as a person uses it: its own Vite config (BFF plugin +
 * `/trpc` proxy) on a free port, pointed at the test stack through IAM_URL / IAM_API_KEY, and
 * Debian's headless Chromium signing in through the form. A screenshot is kept in test-results/.
 */
const RUN = canRunBrowser("example.browser.test.ts");

const WEB_ROOT = fileURLToPath(new URL("../examples/web/", import.meta.url));

type Ticket = { url: string; fields: Record<string, string>; key: string };
type UserInfo = {
  id: string;
  handle: string;
  name: string;
  email: string;
  role: string;
  status: string;
  profile: { profileData: { avatarUrl: string } };
};

let browser: Browser;
let vite: ViteDevServer;
let cacheDir: string;
let origin: string;

/** A 96×96 PNG drawn by the browser itself (a canvas), to upload as an avatar. */
const drawAvatar = async (): Promise<Buffer> => {
  const page = await browser.newPage();
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 96;
    const g = canvas.getContext("2d");
    if (!g) throw new Error("no 2d context");
    const gradient = g.createLinearGradient(0, 0, 96, 96);
    gradient.addColorStop(0, "#f59e0b");
    gradient.addColorStop(1, "#db2777");
    g.fillStyle = gradient;
    g.fillRect(0, 0, 96, 96);
    g.fillStyle = "#fff";
    g.beginPath();
    g.arc(48, 38, 18, 0, 2 * Math.PI);
    g.arc(48, 100, 34, 0, 2 * Math.PI);
    g.fill();
    return canvas.toDataURL("image/png");
  });
  await page.close();
  return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64");
};

/** Registers and activates a user through the service (S2S), as a back office would. */
const activated = async () => {
  const { body, user } = await registered();
  const res = await rest(`/user/activate/${user.activationCode}`);
  if (res.status !== 200) throw new Error(`activate failed: ${res.status}`);
  return { body, user: res.json as UserInfo };
};

/** Sets a user's avatar the way a back end does: presigned upload form, multipart POST, confirm. */
const setAvatar = async (userId: string, png: Buffer): Promise<string> => {
  const ticket = await rest(`/user/${userId}/avatar/upload`, { method: "POST", body: { contentType: "image/png" } });
  expect(ticket.status).toBe(200);
  const { url, fields, key } = ticket.json as Ticket;
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "avatar.png");
  expect((await fetch(url, { method: "POST", body: form })).status).toBeLessThan(300);
  const confirmed = await rest(`/user/${userId}/avatar/confirm`, { method: "POST", body: { key } });
  expect(confirmed.status).toBe(200);
  return (confirmed.json as UserInfo).profile.profileData.avatarUrl;
};

const signIn = async (page: Page, email: string, password: string) => {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
};

/** Whether every <img> under `selector` has loaded a real picture (decoded, non-zero size). */
const imagesLoaded = (page: Page, selector: string) =>
  page.waitForFunction(
    (sel) => {
      const images = [...document.querySelectorAll<HTMLImageElement>(sel)];
      return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    selector,
    { timeout: 15_000 },
  );

beforeAll(async () => {
  if (!RUN) return;
  browser = await launchBrowser();
  // The example's vite.config.ts reads these, as it does under `npm run dev -w @iam/example-web`.
  process.env.IAM_URL = baseUrl();
  process.env.IAM_API_KEY = apiKey();
  cacheDir = await mkdtemp(join(tmpdir(), "iam-example-vite-"));
  const port = await getPort();
  vite = await createServer({
    configFile: join(WEB_ROOT, "vite.config.ts"),
    configLoader: "runner",
    cacheDir,
    logLevel: "warn",
    clearScreen: false,
    server: { host: "127.0.0.1", port, strictPort: true },
  });
  await vite.listen();
  origin = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe.runIf(RUN)("examples/web in a browser", () => {
  it("signs in through the page, shows my profile with badges and avatar, signs out; a wrong password shows an error", async () => {
    const withAvatar = await activated();
    expect((await rest(`/user/${withAvatar.user.id}/badge/EARLY_ADOPTER`, { method: "POST" })).status).toBe(200);
    const avatarUrl = await setAvatar(withAvatar.user.id, await drawAvatar());
    const plain = await activated();

    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Everything the browser sends and everything it is served, to prove the API key never reaches it.
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const served: string[] = [];
    page.on("request", (request) => sent.push({ url: request.url(), headers: request.headers() }));
    page.on("response", async (response) => {
      if (response.url().startsWith(origin)) served.push(await response.text().catch(() => ""));
    });

    expect((await page.goto(origin))?.status()).toBe(200);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    // Wrong password: the service's message on the page, no profile, no token kept.
    await signIn(page, withAvatar.body.email, "Wrong-Password1");
    await page.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor({ timeout: 15_000 });
    expect(await page.locator("#profile").isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem("iam.accessToken"))).toBeNull();
    await mkdir("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/example-web-error.png" });

    // An address the browser lets through but the service refuses: the service's sentence, as it is.
    await signIn(page, "a@b", "Any-Password-1");
    await page.getByRole("alert").filter({ hasText: "email: Invalid email address" }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole("alert").innerText()).toBe("email: Invalid email address");
    await page.screenshot({ path: "test-results/example-web-invalid-email.png" });

    // Right password: the profile as the service has it.
    await signIn(page, withAvatar.body.email, withAvatar.body.password);
    await page.locator("#handle").filter({ hasText: withAvatar.user.handle }).waitFor({ timeout: 15_000 });
    expect(await page.locator("#sign-in").isVisible()).toBe(false);
    expect(await page.getByRole("alert").isVisible()).toBe(false);
    expect(await page.locator("#name").innerText()).toBe(withAvatar.user.name);
    expect(await page.locator("#email").innerText()).toBe(withAvatar.user.email);
    expect(await page.locator("#status").innerText()).toBe("CONFIRMED");
    expect(await page.locator("#role").innerText()).toBe(withAvatar.user.role);
    expect(await page.locator("#badges li").allInnerTexts()).toEqual(["EARLY_ADOPTER", "NEW_MEMBER"]);
    await imagesLoaded(page, "#badges img");
    await imagesLoaded(page, "#avatar img");
    expect(await page.locator("#avatar img").getAttribute("src")).toBe(avatarUrl);
    expect(await page.locator("#avatar img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    await page.screenshot({ path: "test-results/example-web.png", fullPage: true });

    // The page called the service itself, same-origin through the proxy, as the user (bearer).
    const meCall = sent.find((r) => r.url.startsWith(`${origin}/trpc/public.me`));
    expect(meCall?.headers.authorization).toMatch(/^Bearer .+/);
    const pageToken = meCall?.headers.authorization?.slice("Bearer ".length) ?? "";
    expect(
      (await rest("/public/user/me", { headers: { authorization: `Bearer ${pageToken}`, "x-api-key": "" } })).status,
    ).toBe(200);

    // Sign out: the form is back, and the service refuses the page's old token.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("iam.accessToken"))).toBeNull();
    expect(
      (await rest("/public/user/me", { headers: { authorization: `Bearer ${pageToken}`, "x-api-key": "" } })).status,
    ).toBe(401);

    // Another user, without an avatar: a placeholder instead of an image.
    await signIn(page, plain.body.email, plain.body.password);
    await page.locator("#handle").filter({ hasText: plain.user.handle }).waitFor({ timeout: 15_000 });
    expect(await page.locator("#avatar img").count()).toBe(0);
    expect(await page.getByRole("img", { name: "No avatar yet" }).innerText()).toBe(
      plain.user.name.slice(0, 1).toUpperCase(),
    );
    expect(await page.locator("#badges li").allInnerTexts()).toEqual(["NEW_MEMBER"]);
    await page.screenshot({ path: "test-results/example-web-no-avatar.png" });

    // The machine key stayed on the server: not in any request, nor in anything the page was served.
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) expect(Object.values(request.headers).join("\n")).not.toContain(apiKey());
    expect(served.length).toBeGreaterThan(0);
    for (const body of served) expect(body).not.toContain(apiKey());
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
