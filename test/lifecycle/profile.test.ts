import { AdminListGroupsForUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { cognito } from "@iam/core/testing";
import { Config, Profile } from "@iam/core";
import { activeUser, apiKey, bearer, registered, rest } from "../helpers.ts";
import { SERVER_ERROR, THROTTLED, failing } from "../support/aws-faults.ts";
import { claims, login, meStatus, pastRevocationSecond } from "./helpers.ts";
import { viaTrpc } from "../support/trpc.ts";

const groupsOf = async (id: string) => {
  const res = await cognito().send(
    new AdminListGroupsForUserCommand({ UserPoolId: Config.auth.userPoolId, Username: id }),
  );
  return (res.Groups ?? []).map((g) => g.GroupName).sort();
};

describe("profile data: PATCH /public/user/me/profile, PATCH /user/{id}/profile", () => {
  it("lets the user set language and currency, each alone or both", async () => {
    const { tokens } = await activeUser();
    const patch = (body: unknown) =>
      rest("/public/user/me/profile", { method: "PATCH", body, headers: bearer(tokens.accessToken) });
    const lang = await patch({ lang: "de_de" });
    expect(lang.status).toBe(200);
    expect(lang.json.profile.profileData).toMatchObject({ lang: "de_de", currency: "USD" });
    const currency = await patch({ currency: "EUR" });
    expect(currency.json.profile.profileData).toMatchObject({ lang: "de_de", currency: "EUR" });
    const both = await viaTrpc(
      "profile.updateOwn",
      { lang: "zh-Hant-TW", currency: "TWD" },
      bearer(tokens.accessToken),
    );
    expect(both.status).toBe(200);
    expect(both.data.profile.profileData).toMatchObject({ lang: "zh-Hant-TW", currency: "TWD" });
  });

  it("lets a back end set them for any user, and answers 404 for an unknown one", async () => {
    const { user } = await registered();
    const res = await rest(`/user/${user.id}/profile`, { method: "PATCH", body: { lang: "pt-BR", currency: "BRL" } });
    expect(res.status).toBe(200);
    expect(res.json.profile.profileData).toMatchObject({ lang: "pt-BR", currency: "BRL" });
    const overTrpc = await viaTrpc("profile.update", { id: user.id, currency: "JPY" }, { "x-api-key": apiKey() });
    expect(overTrpc.data.profile.profileData).toMatchObject({ lang: "pt-BR", currency: "JPY" });
    expect(
      (await rest(`/user/${crypto.randomUUID()}/profile`, { method: "PATCH", body: { lang: "en_us" } })).status,
    ).toBe(404);
  });

  it("refuses what is not a language tag or an ISO 4217 code, an empty change and any other field, with 400", async () => {
    const { user, tokens } = await activeUser();
    const bad: unknown[] = [
      {},
      { lang: "english" },
      { lang: "en_us_us" },
      { lang: "" },
      { currency: "usd" },
      { currency: "XYZ" },
      { currency: "EURO" },
      { lang: "en_us", avatarUrl: "https://evil.example/x.png" },
      { lang: "en_us", role: "ADMIN" },
    ];
    for (const body of bad) {
      const mine = await rest("/public/user/me/profile", {
        method: "PATCH",
        body,
        headers: bearer(tokens.accessToken),
      });
      expect(mine.status, `own ${JSON.stringify(body)}`).toBe(400);
      expect(
        (await rest(`/user/${user.id}/profile`, { method: "PATCH", body })).status,
        `S2S ${JSON.stringify(body)}`,
      ).toBe(400);
    }
    const after = (await rest(`/user/${user.id}`)).json;
    expect(after.profile.profileData).toEqual({ lang: "en-US", currency: "USD", avatarUrl: "" });
    expect(after.role).toBe("USER");
  });

  it("accepts exactly the schema's language tags (unit)", () => {
    for (const ok of ["en_us", "en", "pt-BR", "zh-Hant-TW", "de_de"])
      expect(Profile.ProfileLang.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["en_us_us", "e", "english", "en__us", "EN"])
      expect(Profile.ProfileLang.safeParse(bad).success, bad).toBe(false);
  });
});

describe("role: PATCH /user/{id}/role/{role}", () => {
  it("is visible in the cognito:groups claim of a fresh login; old tokens, which name the old group, stop working", async () => {
    const { body, user, tokens } = await activeUser();
    expect(claims(tokens.accessToken)["cognito:groups"]).toEqual(["USER"]);

    const res = await rest(`/user/${user.id}/role/MODERATOR`, { method: "PATCH" });
    expect(res.status).toBe(200);
    expect(res.json.role).toBe("MODERATOR");
    expect(await groupsOf(user.id)).toEqual(["MODERATOR"]);
    expect(await meStatus(tokens.accessToken)).toBe(401);

    await pastRevocationSecond();
    const fresh = await login(body.email, body.password);
    expect(claims(fresh.json.accessToken)["cognito:groups"]).toEqual(["MODERATOR"]);
    expect(claims(fresh.json.idToken)["cognito:groups"]).toEqual(["MODERATOR"]);
    expect((await rest(`/auth/token/access/verify/${fresh.json.accessToken}`)).json.groups).toEqual(["MODERATOR"]);

    // The same role again changes nothing and ends no session.
    expect((await rest(`/user/${user.id}/role/MODERATOR`, { method: "PATCH" })).json.role).toBe("MODERATOR");
    expect(await meStatus(fresh.json.accessToken)).toBe(200);

    const overTrpc = await viaTrpc("profile.setRole", { id: user.id, role: "ADMIN" }, { "x-api-key": apiKey() });
    expect(overTrpc.status).toBe(200);
    expect(overTrpc.data.role).toBe("ADMIN");
    await pastRevocationSecond();
    const admin = await login(body.email, body.password);
    expect(claims(admin.json.accessToken)["cognito:groups"]).toEqual(["ADMIN"]);
  });

  it("refuses an unknown role or a malformed id with 400, and an unknown user with 404", async () => {
    const { user } = await registered();
    expect((await rest(`/user/${user.id}/role/SUPERUSER`, { method: "PATCH" })).status).toBe(400);
    expect((await rest(`/user/${user.id}/role/admin`, { method: "PATCH" })).status).toBe(400);
    expect((await rest(`/user/not-a-uuid/role/ADMIN`, { method: "PATCH" })).status).toBe(400);
    expect((await rest(`/user/${crypto.randomUUID()}/role/ADMIN`, { method: "PATCH" })).status).toBe(404);
    expect((await rest(`/user/${user.id}`)).json.role).toBe("USER");
  });

  it("undoes the group change when the stored role cannot be written", async () => {
    const { user } = await registered();
    const spy = failing("dynamodb", "TransactWriteItems", SERVER_ERROR.dynamodb);
    try {
      await expect(Profile.setRole(user.id, "ADMIN")).rejects.toThrow();
    } finally {
      spy.restore();
    }
    expect(await groupsOf(user.id)).toEqual(["USER"]);
    expect((await rest(`/user/${user.id}`)).json.role).toBe("USER");
  });

  it("puts the old role back when the old group cannot be left", async () => {
    const { user } = await registered();
    const spy = failing("cognito", "AdminRemoveUserFromGroup", THROTTLED.cognito);
    try {
      await expect(Profile.setRole(user.id, "MODERATOR")).rejects.toMatchObject({ name: "TooManyRequestsException" });
      // Both compensations failed at Cognito too (the spy refuses every removal): the stored role is back at least.
      expect((await rest(`/user/${user.id}`)).json.role).toBe("USER");
    } finally {
      spy.restore();
    }
    // With Cognito answering again, the next change converges both stores.
    expect((await rest(`/user/${user.id}/role/MODERATOR`, { method: "PATCH" })).json.role).toBe("MODERATOR");
    expect(await groupsOf(user.id)).toEqual(["MODERATOR"]);
  });
});
