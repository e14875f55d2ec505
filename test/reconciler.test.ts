import { describe, expect, it } from "vitest";
import { Reconciler, User } from "@iam/core";
import * as Cognito from "../packages/core/src/auth/cognito.ts";
import { db } from "../packages/core/src/dynamo/service.ts";
import { newUser } from "./helpers.ts";
import { backdate, cognitoHas, intentOf } from "./support/saga.ts";

/**
 * The reconciler on its own: what it does with each kind of leftover, and what it leaves alone.
 * Leftovers are made by hand (as a crash would leave them) and made to look old.
 */
const register = () => User.register(User.RegisterInput.parse(newUser()));
const intent = (kind: "register" | "role", subject: string) =>
  db().entities.intent.create({ kind, subject, token: crypto.randomUUID(), expiresAt: Math.floor(Date.now() / 1000) + 3600 }).go();

describe("reconciler", () => {
  it("rolls back a registration that stopped after the Cognito create, and keeps a registered user under its e-mail", async () => {
    const orphan = newUser();
    await intent("register", orphan.email);
    await Cognito.createUser(orphan.email, orphan.password);
    const user = await register();
    await intent("register", user.email); // e.g. a retry that crashed after finding the address taken
    await backdate(3600, { registrations: [orphan.email, user.email] });
    const pass = await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(pass.registrations).toBeGreaterThanOrEqual(2);
    expect(await cognitoHas(orphan.email)).toBe(false);
    expect(await intentOf("register", orphan.email)).toBeNull();
    expect(await cognitoHas(user.email)).toBe(true);
    expect((await User.getById(user.id, { consistent: true })).email).toBe(user.email);
    expect(await intentOf("register", user.email)).toBeNull();
  });

  it("makes the Cognito groups of an interrupted role change match the stored role", async () => {
    const user = await register();
    await Cognito.addToGroup(user.id, "ADMIN"); // the new group was added, then the process died
    await intent("role", user.id);
    await backdate(3600, { roles: [user.id] });
    await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect((await Cognito.groupsOf(user.id)).sort()).toEqual(["USER"]);
    expect(await intentOf("role", user.id)).toBeNull();
  });

  it("leaves alone what is younger than its bound: it may belong to a request in flight", async () => {
    const young = newUser();
    await intent("register", young.email);
    await Cognito.createUser(young.email, young.password);
    await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(await intentOf("register", young.email)).toMatchObject({ state: "pending" });
    expect(await cognitoHas(young.email)).toBe(true);
    await backdate(3600, { registrations: [young.email] });
    await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(await cognitoHas(young.email)).toBe(false);
  });
});
