import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Resource } from "sst/resource";
import { describe, expect, it } from "vitest";
import { db, s3 } from "@iam/core/testing";
import { Avatar, Config } from "@iam/core";
import { createApp } from "@iam/functions/app";
import { activeUser, apiKey, bearer, registered, rest } from "../helpers.ts";
import { viaTrpc } from "../support/trpc.ts";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
/** A WebP header (RIFF container, WEBP form, VP8L chunk) followed by filler. */
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from("WEBPVP8L"),
  Buffer.alloc(32, 1),
]);

type Ticket = { url: string; fields: Record<string, string>; key: string; maxBytes: number; expiresAt: string };

/** What a browser does with the upload form: a multipart POST with the fields, then the file. */
const upload = async (ticket: Ticket, bytes: Uint8Array, type: string, filename = "avatar.png") => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return fetch(ticket.url, { method: "POST", body: form });
};

const objectsUnder = async (prefix: string) => {
  const page = await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key);
};
/** Published avatars (public prefix) and pending uploads (private prefix) of a user. */
const avatarObjects = (userId: string) => objectsUnder(`avatars/${userId}/`);
const uploadObjects = (userId: string) => objectsUnder(`uploads/${userId}/`);

/** The public key a confirmed upload is published under: same name, public prefix. */
const publishedKey = (uploadKey: string) => uploadKey.replace(/^uploads\//, "avatars/");

/** A back end's avatar for the user: a PNG uploaded with a fresh ticket and confirmed (200). Returns the ticket. */
const publishAvatar = async (userId: string) => {
  const ticket = await rest(`/user/${userId}/avatar/upload`, { method: "POST", body: { contentType: "image/png" } });
  await upload(ticket.json, PNG, "image/png");
  expect(
    (await rest(`/user/${userId}/avatar/confirm`, { method: "POST", body: { key: ticket.json.key } })).status,
  ).toBe(200);
  return ticket;
};

/** The stored profile item, as DynamoDB holds it. */
const storedUser = async (id: string) => (await db().entities.user.get({ id }).go({ consistent: true })).data;

const own = (token: string) => ({
  request: (contentType: string) =>
    rest("/public/user/me/avatar/upload", { method: "POST", body: { contentType }, headers: bearer(token) }),
  confirm: (key: string) =>
    rest("/public/user/me/avatar/confirm", { method: "POST", body: { key }, headers: bearer(token) }),
});

describe("avatars: presigned S3 POST, then confirm", () => {
  it("round trip: upload to a private key, confirm publishes a copy, avatarUrl serves it; a new avatar replaces and deletes the old", async () => {
    const { user, tokens } = await activeUser();
    const me = own(tokens.accessToken);
    const ticket = await me.request("image/png");
    expect(ticket.status).toBe(200);
    expect(ticket.json.key).toMatch(new RegExp(`^uploads/${user.id}/[A-Za-z0-9_-]{21}\\.png$`));
    expect(ticket.json.maxBytes).toBe(Avatar.AVATAR_MAX_BYTES);
    expect(ticket.json.fields["Content-Type"]).toBe("image/png");
    const policy = JSON.parse(Buffer.from(ticket.json.fields.Policy, "base64").toString("utf8"));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ["content-length-range", 1, Avatar.AVATAR_MAX_BYTES],
        ["eq", "$Content-Type", "image/png"],
        { key: ticket.json.key },
      ]),
    );

    const uploaded = await upload(ticket.json, PNG, "image/png");
    expect(uploaded.status).toBeLessThan(300);
    const confirmed = await me.confirm(ticket.json.key);
    expect(confirmed.status).toBe(200);
    const avatarUrl: string = confirmed.json.profile.profileData.avatarUrl;
    expect(avatarUrl).toBe(`${Config.assetsBaseUrl}/${publishedKey(ticket.json.key)}`);
    const served = await fetch(avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    // The upload itself is gone; the profile stores the object's key, not a URL.
    expect(await uploadObjects(user.id)).toEqual([]);
    expect(await avatarObjects(user.id)).toEqual([publishedKey(ticket.json.key)]);
    const item = await storedUser(user.id);
    expect(item?.avatarKey).toBe(publishedKey(ticket.json.key));
    expect(JSON.stringify(item)).not.toContain(Config.assetsBaseUrl);
    expect(
      (await rest("/public/user/me", { headers: bearer(tokens.accessToken) })).json.profile.profileData.avatarUrl,
    ).toBe(avatarUrl);
    // Confirming the current avatar again changes nothing.
    expect((await me.confirm(ticket.json.key)).json.profile.profileData.avatarUrl).toBe(avatarUrl);

    const next = await me.request("image/webp");
    expect((await upload(next.json, WEBP, "image/webp", "a.webp")).status).toBeLessThan(300);
    const replaced = await me.confirm(next.json.key);
    expect(replaced.status).toBe(200);
    expect(replaced.json.profile.profileData.avatarUrl).toMatch(/\.webp$/);
    expect(await avatarObjects(user.id)).toEqual([publishedKey(next.json.key)]);
    expect((await fetch(avatarUrl)).status).toBe(404);
  });

  it("a re-POST of the upload form after confirmation cannot change what users see", async () => {
    const { user, tokens } = await activeUser();
    const me = own(tokens.accessToken);
    const ticket = await me.request("image/png");
    await upload(ticket.json, PNG, "image/png");
    const avatarUrl: string = (await me.confirm(ticket.json.key)).json.profile.profileData.avatarUrl;

    // The form stays valid until it expires: POST other bytes with it, then confirm it again.
    const swapped = Buffer.concat([PNG, Buffer.from("<script>alert(1)</script>")]);
    expect((await upload(ticket.json, swapped, "image/png")).status).toBeLessThan(300);
    expect(
      await fetch(avatarUrl)
        .then((r) => r.arrayBuffer())
        .then(Buffer.from),
    ).toEqual(PNG);
    const again = await me.confirm(ticket.json.key);
    expect(again.status).toBe(200);
    expect(again.json.profile.profileData.avatarUrl).toBe(avatarUrl);
    expect(
      await fetch(avatarUrl)
        .then((r) => r.arrayBuffer())
        .then(Buffer.from),
    ).toEqual(PNG);
    // What the re-POST left is private and expires with the bucket's lifecycle rule (or the user's deletion).
    expect(await uploadObjects(user.id)).toEqual([ticket.json.key]);
  });

  it("builds the avatar URL when reading, so it follows the assets endpoint (a restart on another S3 port)", async () => {
    const { user } = await registered();
    const ticket = await publishAvatar(user.id);

    // What a restart of the local stack on another S3 port does to the configuration.
    const links = Resource as unknown as Record<string, { url: string } | undefined>;
    const current = links.AssetsUrl;
    links.AssetsUrl = { url: "http://127.0.0.1:1/moved-assets" };
    try {
      const res = await createApp().request(`/user/${user.id}`, { headers: { "x-api-key": Config.bootstrapApiKey } });
      const read = (await res.json()) as {
        profile: { profileData: { avatarUrl: string }; badges: { iconUrl: string }[] };
      };
      expect(read.profile.profileData.avatarUrl).toBe(
        `http://127.0.0.1:1/moved-assets/${publishedKey(ticket.json.key)}`,
      );
      expect(read.profile.badges[0]?.iconUrl).toMatch(/^http:\/\/127\.0\.0\.1:1\/moved-assets\/badges\//);
    } finally {
      links.AssetsUrl = current;
    }
  });

  it("reads a profile stored before keys were (a full URL) by the key in it: still served, and replaced cleanly", async () => {
    const { user, tokens } = await activeUser();
    const legacyKey = `users/${user.id}/avatar/${"L".repeat(21)}.png`;
    await s3().send(
      new PutObjectCommand({ Bucket: Config.bucketName, Key: legacyKey, Body: PNG, ContentType: "image/png" }),
    );
    // As the previous version wrote it: the URL with the S3 endpoint of that day.
    await db()
      .entities.user.patch({ id: user.id })
      .set({ avatarUrl: `http://127.0.0.1:9/old-bucket/${legacyKey}` })
      .go();
    const me = own(tokens.accessToken);
    const read = await rest("/public/user/me", { headers: bearer(tokens.accessToken) });
    expect(read.json.profile.profileData.avatarUrl).toBe(`${Config.assetsBaseUrl}/${legacyKey}`);

    const ticket = await me.request("image/png");
    await upload(ticket.json, PNG, "image/png");
    expect((await me.confirm(ticket.json.key)).json.profile.profileData.avatarUrl).toBe(
      `${Config.assetsBaseUrl}/${publishedKey(ticket.json.key)}`,
    );
    expect(await objectsUnder(`users/${user.id}/`)).toEqual([]);
    expect((await storedUser(user.id))?.avatarUrl).toBeUndefined();
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

    // An empty file (S3 refuses it at upload: content-length-range starts at 1; an emulator may store it).
    const empty = await me.request("image/png");
    if ((await upload(empty.json, new Uint8Array(), "image/png")).status < 300) {
      const refusedEmpty = await me.confirm(empty.json.key);
      expect(refusedEmpty.status).toBe(400);
      expect(refusedEmpty.json.message).toBe("The uploaded file is empty");
    }

    // Declared JPEG, stored bytes are a PNG: the type must match what the key was issued for.
    const mismatch = await me.request("image/jpeg");
    await upload(mismatch.json, PNG, "image/jpeg", "a.jpg");
    expect((await me.confirm(mismatch.json.key)).status).toBe(400);

    expect(await avatarObjects(user.id)).toEqual([]);
    expect(await uploadObjects(user.id)).toEqual([]);
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
    const published = publishedKey(mine.json.key);
    const legacy = `users/${mine.json.key.split("/")[1]}/avatar/${mine.json.key.split("/")[2]}`;
    for (const key of [
      "",
      "badges/NEW_MEMBER.svg",
      `${mine.json.key}/../../x.png`,
      "users/../etc/passwd",
      mine.json.key.replace(".png", ".gif"),
      published,
      legacy,
    ])
      expect((await me.confirm(key)).status, key).toBe(400);
    for (const body of [
      {},
      { contentType: "image/gif" },
      { contentType: "image/svg+xml" },
      { contentType: "image/png", size: 1 },
    ])
      expect(
        (await rest("/public/user/me/avatar/upload", { method: "POST", body, headers: bearer(tokens.accessToken) }))
          .status,
        JSON.stringify(body),
      ).toBe(400);
  });

  it("for back ends: the same two steps for a given user, over tRPC; 404 for an unknown user", async () => {
    const { user } = await registered();
    const headers = { "x-api-key": apiKey() };
    const ticket = await viaTrpc("avatar.requestUpload", { id: user.id, contentType: "image/png" }, headers);
    expect(ticket.status).toBe(200);
    expect((await upload(ticket.data, PNG, "image/png")).status).toBeLessThan(300);
    const confirmed = await viaTrpc("avatar.confirm", { id: user.id, key: ticket.data.key }, headers);
    expect(confirmed.status).toBe(200);
    expect(confirmed.data.profile.profileData.avatarUrl).toBe(
      `${Config.assetsBaseUrl}/${publishedKey(ticket.data.key)}`,
    );

    const rest404 = await rest(`/user/${crypto.randomUUID()}/avatar/upload`, {
      method: "POST",
      body: { contentType: "image/png" },
    });
    expect(rest404.status).toBe(404);
    expect(
      (await rest(`/user/not-a-uuid/avatar/upload`, { method: "POST", body: { contentType: "image/png" } })).status,
    ).toBe(400);
  });

  it("removes the avatar with the user on hard delete, and any upload still pending", async () => {
    const { user } = await registered();
    await publishAvatar(user.id);
    const pending = await rest(`/user/${user.id}/avatar/upload`, {
      method: "POST",
      body: { contentType: "image/png" },
    });
    await upload(pending.json, PNG, "image/png");
    expect(await avatarObjects(user.id)).toHaveLength(1);
    expect(await uploadObjects(user.id)).toHaveLength(1);
    expect((await rest(`/user/${user.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    expect(await avatarObjects(user.id)).toEqual([]);
    expect(await uploadObjects(user.id)).toEqual([]);
  });
});
