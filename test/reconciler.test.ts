import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { Assets, Config, Events, Reconciler, User } from "@iam/core";
import { Cognito, db, hashCode, s3 } from "@iam/core/testing";
import { newUser } from "./helpers.ts";
import { backdate, cognitoHas, intentOf, tombstoneOf } from "./support/saga.ts";

/**
 * The reconciler on its own: what it does with each kind of leftover, and what it leaves alone.
 * Leftovers are made by hand (as a crash would leave them) and made to look old.
 */
const register = () => User.register(User.RegisterInput.parse(newUser()));
const intent = (kind: "register" | "role", subject: string) =>
  db()
    .entities.intent.create({
      kind,
      subject,
      token: crypto.randomUUID(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    })
    .go();

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

  it("puts back the stored role's group when a role change was given up after the old group was removed", async () => {
    const user = await register();
    // Steps 2 and 4 of a change to MODERATOR ran, the old role was written back, then the process died.
    await Cognito.addToGroup(user.id, "MODERATOR");
    await Cognito.removeFromGroup(user.id, "USER");
    await intent("role", user.id);
    await backdate(3600, { roles: [user.id] });
    await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(await Cognito.groupsOf(user.id)).toEqual(["USER"]);
    expect(await intentOf("role", user.id)).toBeNull();
  });

  it("finishes a hard delete that stopped after its first step: the user's S3 objects, Cognito user and tombstone go", async () => {
    const user = await register();
    const objectsUnder = async (Prefix: string) =>
      (await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix }))).Contents ?? [];
    // One object under each prefix that holds a user's files (upload, avatar, pre-layout folder).
    for (const prefix of Assets.userPrefixes(user.id))
      await s3().send(new PutObjectCommand({ Bucket: Config.bucketName, Key: `${prefix}avatar.png`, Body: "png" }));
    // The deletion's first step (user/delete.ts), an hour ago: the profile, its guards and its
    // activation code are gone, the tombstone stays. (Nothing of it may outlive the test: the crash
    // test audits every activation code in the table.)
    await db().entities.user.delete({ id: user.id }).go();
    await db()
      .entities.activation.delete({ codeHash: hashCode(user.activationCode) })
      .go();
    for (const [kind, value] of [
      ["email", user.email],
      ["name", user.name.toLowerCase()],
      ["handle", user.handle.toLowerCase()],
    ] as const)
      await db().entities.unique.delete({ kind, value }).go();
    const anHourAgo = new Date(Date.now() - 3600_000).toISOString();
    await db()
      .entities.deletion.put({
        userId: user.id,
        email: user.email,
        deletedAt: anHourAgo,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      })
      .go();
    const pass = await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(pass.deletions).toBeGreaterThanOrEqual(1);
    for (const prefix of Assets.userPrefixes(user.id)) expect(await objectsUnder(prefix), prefix).toEqual([]);
    expect(await cognitoHas(user.id)).toBe(false);
    expect(await tombstoneOf(user.id)).toBeNull();
  });

  it("purges a deleted user's events when the consumer of user.deleted never ran, and only once it is old", async () => {
    const user = await register();
    await User.activate(user.activationCode);
    await User.remove(user.id);
    const eventTypes = async () =>
      (await Events.list({ userId: user.id }, { limit: 100 })).events.map((e) => e.type).sort();
    expect(await eventTypes()).toEqual(["user.activated", "user.deleted", "user.registered"]);
    // The deletion left a purge to do; while it is young, the consumer may still be on its way.
    expect(await intentOf("purge", user.id)).toMatchObject({ state: "pending" });
    await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(await eventTypes()).toHaveLength(3);
    // Lost on its way (the bus, the function): an old purge is the reconciler's.
    await backdate(3600, { purges: [user.id] });
    const pass = await Reconciler.reconcile({ olderThanSeconds: 60 });
    expect(pass.purges).toBeGreaterThanOrEqual(1);
    expect(await eventTypes()).toEqual(["user.deleted"]);
    expect(await intentOf("purge", user.id)).toBeNull();
  });

  it("a purge by the consumer of user.deleted settles the purge the deletion left", async () => {
    const user = await register();
    await User.remove(user.id);
    expect(await intentOf("purge", user.id)).not.toBeNull();
    await Events.purgeUser(user.id);
    expect(await intentOf("purge", user.id)).toBeNull();
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
