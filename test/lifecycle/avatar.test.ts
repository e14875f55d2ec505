import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { s3 } from "../../packages/core/src/aws.ts";
import { Avatar, Config } from "../../packages/core/src/index.ts";
import { activeUser, apiKey, baseUrl, bearer, registered, rest } from "../helpers.ts";
import { trpcCall } from "./helpers.ts";

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
/** A WebP header (RIFF container, WEBP form, VP8L chunk) followed by filler. */
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WEBPVP8L"), Buffer.alloc(32, 1)]);

type Ticket = { url: string; fields: Record<string, string>; key: string; maxBytes: number; expiresAt: string };

/** What a browser does with the upload form: a multipart POST with the fields, then the file. */
const upload = async (ticket: Ticket, bytes: Uint8Array, type: string, filename = "avatar.png") => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return fetch(ticket.url, { method: "POST", body: form });
};

const avatarObjects = async (userId: string) => {
  const page = await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix: `users/${userId}/avatar/` }));
  return (page.Contents ?? []).map((o) => o.Key);
};

const own = (token: string) => ({
  request: (contentType: string) => rest("/public/user/me/avatar/upload", { method: "POST", body: { contentType }, headers: bearer(token) }),
  confirm: (key: string) => rest("/public/user/me/avatar/confirm", { method: "POST", body: { key }, headers: bearer(token) }),
});

describe("avatars: presigned S3 POST, then confirm", () => {
  it("round trip: upload with fetch, confirm, avatarUrl serves the image; a new avatar replaces and deletes the old", async () => {
    const { user, tokens } = await activeUser();
    const me = own(tokens.accessToken);
    const ticket = await me.request("image/png");
    expect(ticket.status).toBe(200);
    expect(ticket.json.key).toMatch(new RegExp(`^users/${user.id}/avatar/[A-Za-z0-9_-]{21}\\.png$`));
    expect(ticket.json.maxBytes).toBe(Avatar.AVATAR_MAX_BYTES);
    expect(ticket.json.fields["Content-Type"]).toBe("image/png");
    const policy = JSON.parse(Buffer.from(ticket.json.fields.Policy, "base64").toString("utf8"));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([["content-length-range", 1, Avatar.AVATAR_MAX_BYTES], ["eq", "$Content-Type", "image/png"], { key: ticket.json.key }]),
    );

    const uploaded = await upload(ticket.json, PNG, "image/png");
    expect(uploaded.status).toBeLessThan(300);
    const confirmed = await me.confirm(ticket.json.key);
    expect(confirmed.status).toBe(200);
    const avatarUrl: string = confirmed.json.profile.profileData.avatarUrl;
    expect(avatarUrl).toBe(`${Config.assetsBaseUrl}/${ticket.json.key}`);
    const served = await fetch(avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    expect((await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).json.profile.profileData.avatarUrl).toBe(avatarUrl);
    // Confirming the current avatar again changes nothing.
    expect((await me.confirm(ticket.json.key)).json.profile.profileData.avatarUrl).toBe(avatarUrl);

    const next = await me.request("image/webp");
    expect((await upload(next.json, WEBP, "image/webp", "a.webp")).status).toBeLessThan(300);
    const replaced = await me.confirm(next.json.key);
    expect(replaced.status).toBe(200);
    expect(replaced.json.profile.profileData.avatarUrl).toMatch(/\.webp$/);
    expect(await avatarObjects(user.id)).toEqual([next.json.key]);
    expect((await fetch(avatarUrl)).status).toBe(404);
  });

  it("rejects a text file named .png and an oversized file with 400, leaving nothing in S3 and the avatar unchanged", async () => {
    const { user, tokens } = await activeUser();
    const me = own(tokens.accessToken);

    const text = await me.request("image/png");
    await upload(text.json, Buffer.from("just some text, not an image\n"), "image/png", "notes.png");
    const refusedText = await me.confirm(text.json.key);
    expect(refusedText.status).toBe(400);
    expect(refusedText.json.message).toBe("The uploaded file is not a PNG image");

    const big = await me.request("image/png");
    const oversized = Buffer.concat([PNG, Buffer.alloc(Avatar.AVATAR_MAX_BYTES)]);
    const bigUpload = await upload(big.json, oversized, "image/png");
    // S3 refuses it at upload (policy: content-length-range); an emulator that stores it anyway is caught at confirm.
    if (bigUpload.status < 300) {
      const refusedBig = await me.confirm(big.json.key);
      expect(refusedBig.status).toBe(400);
      expect(refusedBig.json.message).toMatch(/limit is/);
    } else {
      expect(bigUpload.status).toBe(400);
      expect((await me.confirm(big.json.key)).status).toBe(404);
    }

    // Declared JPEG, stored bytes are a PNG: the type must match what the key was issued for.
    const mismatch = await me.request("image/jpeg");
    await upload(mismatch.json, PNG, "image/jpeg", "a.jpg");
    expect((await me.confirm(mismatch.json.key)).status).toBe(400);

    expect(await avatarObjects(user.id)).toEqual([]);
    expect((await rest(`/user/${user.id}`)).json.profile.profileData.avatarUrl).toBe("");
    // A rejected upload is gone: confirming it again finds nothing.
    expect((await me.confirm(text.json.key)).status).toBe(404);
  });

  it("refuses keys outside the caller's own avatar prefix and unknown keys", async () => {
    const { tokens } = await activeUser();
    const other = await activeUser();
    const theirs = await own(other.tokens.accessToken).request("image/png");
    await upload(theirs.json, PNG, "image/png");
    const me = own(tokens.accessToken);
    const stolen = await me.confirm(theirs.json.key);
    expect(stolen.status).toBe(400);
    expect((await own(other.tokens.accessToken).confirm(theirs.json.key)).status).toBe(200);

    const mine = await me.request("image/png");
    expect((await me.confirm(mine.json.key)).status).toBe(404); // never uploaded
    for (const key of ["", "badges/NEW_MEMBER.svg", `${mine.json.key}/../../x.png`, "users/../etc/passwd", mine.json.key.replace(".png", ".gif")])
      expect((await me.confirm(key)).status, key).toBe(400);
    for (const body of [{}, { contentType: "image/gif" }, { contentType: "image/svg+xml" }, { contentType: "image/png", size: 1 }])
      expect((await rest("/public/user/me/avatar/upload", { method: "POST", body, headers: bearer(tokens.accessToken) })).status, JSON.stringify(body)).toBe(400);
  });

  it("for back ends: the same two steps for a given user, over tRPC; 404 for an unknown user", async () => {
    const { user } = await registered();
    const headers = { "x-api-key": apiKey() };
    const ticket = await trpcCall(baseUrl(), "avatar.requestUpload", { id: user.id, contentType: "image/png" }, headers);
    expect(ticket.status).toBe(200);
    expect((await upload(ticket.data, PNG, "image/png")).status).toBeLessThan(300);
    const confirmed = await trpcCall(baseUrl(), "avatar.confirm", { id: user.id, key: ticket.data.key }, headers);
    expect(confirmed.status).toBe(200);
    expect(confirmed.data.profile.profileData.avatarUrl).toContain(ticket.data.key);

    const rest404 = await rest(`/user/${crypto.randomUUID()}/avatar/upload`, { method: "POST", body: { contentType: "image/png" } });
    expect(rest404.status).toBe(404);
    expect((await rest(`/user/not-a-uuid/avatar/upload`, { method: "POST", body: { contentType: "image/png" } })).status).toBe(400);
  });

  it("removes the avatar with the user on hard delete", async () => {
    const { user } = await registered();
    const ticket = await rest(`/user/${user.id}/avatar/upload`, { method: "POST", body: { contentType: "image/png" } });
    await upload(ticket.json, PNG, "image/png");
    expect((await rest(`/user/${user.id}/avatar/confirm`, { method: "POST", body: { key: ticket.json.key } })).status).toBe(200);
    expect(await avatarObjects(user.id)).toHaveLength(1);
    expect((await rest(`/user/${user.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    expect(await avatarObjects(user.id)).toEqual([]);
  });
});
