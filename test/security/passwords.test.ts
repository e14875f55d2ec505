import { DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { cognito } from "@iam/core/testing";
import { Config, User } from "@iam/core";
import { activeUser, bearer, newUser, rest } from "../helpers.ts";

const register = (password: string) => rest("/user", { method: "POST", body: newUser({ password }) });

describe("password rules (ASVS 5.0 V6.2)", () => {
  it("no composition rules: a passphrase of lower-case words is accepted, by the API and by the pool, and signs in", async () => {
    const password = "correct horse battery staple";
    const res = await register(password);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect((await rest(`/user/activate/${res.json.activationCode}`)).status).toBe(200);
    expect((await rest("/auth/login", { method: "POST", body: { email: res.json.email, password } })).status).toBe(200);
  });

  it("at least 12 characters: 11 is a 400 that says so", async () => {
    const res = await register("Abcdefgh1-x");
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/at least 12 characters/);
    expect((await register("Abcdefgh1-xy")).status).toBe(201);
  });

  it("refuses the most common passwords, whatever their case, with a clear 400 on register, reset and change", async () => {
    for (const password of ["Qwerty123456", "1QAZ2WSX3EDC", "leavemealone"]) {
      const res = await register(password);
      expect(res.status, password).toBe(400);
      expect(JSON.stringify(res.json), password).toMatch(/too common/);
    }
    const reset = await rest("/auth/password/reset", {
      method: "POST",
      body: { code: "a".repeat(21), newPassword: "qwerty123456" },
    });
    expect(reset.status).toBe(400);
    expect(JSON.stringify(reset.json)).toMatch(/too common/);
    const { body, tokens } = await activeUser();
    const change = await rest("/public/user/me/password", {
      method: "POST",
      body: { currentPassword: body.password, newPassword: "123456qwerty" },
      headers: bearer(tokens.accessToken),
    });
    expect(change.status).toBe(400);
    expect(JSON.stringify(change.json)).toMatch(/too common/);
  });

  it("the user pool's policy is the API's (one source: User.PasswordPolicy)", async () => {
    const { UserPool } = await cognito().send(new DescribeUserPoolCommand({ UserPoolId: Config.auth.userPoolId }));
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject(User.PasswordPolicy);
  });
});
