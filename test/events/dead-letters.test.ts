import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Events } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { apiKey } from "../helpers.ts";

/** `GET /admin/webhooks/dead-letters`: admin scope, newest first, the directory's signed cursor. */
const app = createApp();
const get = async (path: string, key = apiKey()) => {
  const res = await app.request(path, { headers: { "x-api-key": key } });
  return { status: res.status, json: (await res.json()) as any };
};

describe("webhook dead letters (admin route)", () => {
  it("lists dead letters newest first, a page at a time, and refuses a changed cursor with 400", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const event = Events.create({
        type: "session.ended",
        subject: { userId: randomUUID() },
        actor: { type: "system" },
        data: { reason: "logout" },
      });
      ids.push(
        (
          await Events.DeadLetters.record(
            { event, url: "https://user:pw@hooks.example.com/in?token=t", attempt: 9, firstAttemptAt: event.at },
            "HTTP 502",
          )
        ).id,
      );
    }
    // Other tests add dead letters meanwhile, all newer than these: page until ours are seen.
    const seen: { id: string; url: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/admin/webhooks/dead-letters?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.json.deadLetters.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.deadLetters);
      cursor = page.json.nextCursor;
    } while (cursor && !ids.every((id) => seen.some((d) => d.id === id)));
    const ours = seen.filter((d) => ids.includes(d.id));
    expect(ours.map((d) => d.id)).toEqual([...ids].reverse());
    // The receiver's credentials (user info, query string) are not kept.
    for (const d of ours) expect(d.url).toBe("https://hooks.example.com/in");
    const ordered = seen.map((d) => d.id);
    expect(ordered).toEqual([...ordered].sort().reverse());

    const first = await get("/admin/webhooks/dead-letters?limit=1");
    const [payload = "", mac = ""] = String(first.json.nextCursor).split(".");
    const changed = `${payload.slice(0, -2)}${payload.endsWith("A") ? "B" : "A"}${payload.slice(-1)}.${mac}`;
    const refused = await get(`/admin/webhooks/dead-letters?limit=1&cursor=${changed}`);
    expect(refused.status).toBe(400);
  });

  it("is for admin keys only", async () => {
    const created = await app.request("/admin/keys", {
      method: "POST",
      headers: { "x-api-key": apiKey(), "content-type": "application/json" },
      body: JSON.stringify({ name: "reader", scopes: ["read", "write"] }),
    });
    const { apiKey: reader } = (await created.json()) as { apiKey: string };
    expect((await get("/admin/webhooks/dead-letters", reader)).status).toBe(403);
    expect((await get("/admin/webhooks/dead-letters", "nope")).status).toBe(401);
  });
});
