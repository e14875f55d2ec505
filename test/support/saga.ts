import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Config } from "@iam/core";
import { cognito, db } from "@iam/core/testing";

/** Whether the pool has a user by this username (e-mail or sub), through the service's own SDK client. */
export const cognitoHas = async (username: string) => {
  try {
    await cognito().send(new AdminGetUserCommand({ UserPoolId: Config.auth.userPoolId, Username: username }));
    return true;
  } catch (e) {
    if ((e as Error).name === "UserNotFoundException") return false;
    throw e;
  }
};

export const intentOf = async (kind: "register" | "role" | "purge", subject: string) =>
  (await db().entities.intent.get({ kind, subject }).go({ consistent: true })).data;

export const tombstoneOf = async (userId: string) =>
  (await db().entities.deletion.get({ userId }).go({ consistent: true })).data;

/**
 * Makes a test's own intents and tombstones look `seconds` old (re-written with an earlier
 * timestamp, token and state kept), so one reconciler pass with a bound of a minute settles them —
 * and nothing another test file has in flight, which is younger than any request's budget.
 */
export const backdate = async (
  seconds: number,
  items: { registrations?: string[]; roles?: string[]; deletions?: string[]; purges?: string[] },
) => {
  const past = new Date(Date.now() - seconds * 1000).toISOString();
  for (const [kind, subjects] of [
    ["register", items.registrations ?? []],
    ["role", items.roles ?? []],
    ["purge", items.purges ?? []],
  ] as const)
    for (const subject of subjects) {
      const intent = await intentOf(kind, subject);
      if (intent)
        await db()
          .entities.intent.put({ ...intent, createdAt: past })
          .go();
    }
  for (const userId of items.deletions ?? []) {
    const tombstone = await tombstoneOf(userId);
    if (tombstone)
      await db()
        .entities.deletion.put({ ...tombstone, deletedAt: past })
        .go();
  }
};
