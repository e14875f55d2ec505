import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, readUser, userKey } from "@iam/core/testing";

/**
 * Reads by id skip ElectroDB (packages/core/src/user/hot-read.ts) but must read the key ElectroDB
 * writes and answer the item ElectroDB's own get answers: same attributes, same values, same
 * absences. Each case writes through ElectroDB and compares the two readers on the emulator.
 */
const electroKey = (id: string) => {
  const { Key } = db().entities.user.get({ id }).params<{ Key: Record<string, string> }>();
  return Object.fromEntries(Object.entries(Key).map(([k, v]) => [k, { S: v }]));
};
const viaElectro = async (id: string) => (await db().entities.user.get({ id }).go({ consistent: true })).data;

const base = (id: string) => ({
  id,
  name: `hot_${randomUUID().slice(0, 8)}`,
  handle: `hot-${randomUUID().slice(0, 8)}`,
  email: `hot.${randomUUID().slice(0, 8)}@example.com`,
});

describe("hot read of a user by id (no ElectroDB) matches ElectroDB", () => {
  it("builds ElectroDB's key for any id (case, separators, non-ASCII, empty)", () => {
    for (const id of ["abc", "AbC-1", "x#y_z", "ÉLAN", "a$b", "", randomUUID()])
      expect(userKey(id)).toEqual(electroKey(id));
  });

  it("answers ElectroDB's item for a user with every optional attribute set", async () => {
    const id = randomUUID();
    await db()
      .entities.user.create({
        ...base(id),
        role: "MODERATOR",
        status: "CONFIRMED",
        sourceSystem: "legacy",
        sourceIp: "203.0.113.7",
        lang: "fr-FR",
        currency: "EUR",
        avatarKey: `avatars/${id}/a.png`,
        avatarUrl: "https://example.com/old.png",
        badges: ["zeta", "alpha", "mid"],
        dataJson: '{"a":[1,2,{"b":null}]}',
        version: 7,
        lastLoginAt: "2026-01-02T03:04:05.000Z",
        tokensValidAfter: 1_700_000_000,
        activationHash: "h".repeat(64),
      })
      .go();
    const electro = await viaElectro(id);
    expect(electro?.badges).toHaveLength(3);
    const hot = await readUser(id, true);
    expect(hot).toEqual(electro);
    expect(Object.keys(hot ?? {}).sort()).toEqual(Object.keys(electro ?? {}).sort());
  });

  it("answers ElectroDB's item for a user with only the defaults, through a mixed-case id", async () => {
    const id = `Mixed-${randomUUID()}`;
    await db().entities.user.create(base(id)).go();
    const electro = await viaElectro(id);
    expect(electro).not.toBeNull();
    expect(await readUser(id.toUpperCase(), true)).toEqual(electro);
    expect(await readUser(id, false)).toEqual(electro);
  });

  it("answers null where ElectroDB's get answers null", async () => {
    const id = randomUUID();
    expect(await viaElectro(id)).toBeNull();
    expect(await readUser(id, true)).toBeNull();
  });
});
