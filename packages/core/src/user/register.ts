import * as Cognito from "../auth/cognito.ts";
import { db } from "../dynamo/service.ts";
import { UNIQUE_KINDS, type UniqueKind } from "../dynamo/entities/unique.ts";
import { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { hashCode, newCode } from "./codes.ts";
import { handleFromName } from "./handle.ts";
import { toInfo } from "./mapper.ts";
import { remove } from "./delete.ts";
import { pendingDeletionOf } from "./store.ts";
import type { Info, RegisterInput } from "./schema.ts";
import { retryTransaction } from "../dynamo/transaction.ts";

/** A Cognito user with no profile that is older than this is an orphan of a crashed registration. */
const ORPHAN_AGE_MS = 60_000;

const conflict = (kind: UniqueKind) =>
  new AppError("CONFLICT", `A user with this ${kind} already exists`, { field: kind });

const taken = async (values: Record<UniqueKind, string>): Promise<UniqueKind | undefined> => {
  const { data } = await db()
    .entities.unique.get(UNIQUE_KINDS.map((kind) => ({ kind, value: values[kind] })))
    .go();
  return data.length > 0 ? UNIQUE_KINDS.find((k) => data.some((d) => d.kind === k)) : undefined;
};

/**
 * Creates the Cognito user, then writes the profile, its three guard items and the activation
 * code in ONE DynamoDB transaction. If anything after the Cognito create fails, the Cognito user
 * is deleted again, so neither store keeps an orphan.
 */
export const register = async (
  input: RegisterInput,
  meta: { sourceIp?: string } = {},
): Promise<Info & { activationCode: string }> => {
  const handle = handleFromName(input.name);
  const values = { name: input.name.toLowerCase(), email: input.email, handle: handle.toLowerCase() };
  const early = await taken(values);
  if (early) throw conflict(early);

  const { sub } = await createCognitoUser(input.email, input.password, values);
  try {
    await Cognito.addToGroup(sub, "USER");
    const activationCode = newCode();
    const activationHash = hashCode(activationCode);
    const item = {
      id: sub,
      name: input.name,
      handle,
      email: input.email,
      sourceSystem: input.sourceSystem,
      sourceIp: meta.sourceIp,
      lang: input.lang,
      currency: input.currency,
      badges: ["NEW_MEMBER"],
      activationHash,
    };
    const result = await retryTransaction(() =>
      db()
        .transaction.write(({ user, unique, activation }) => [
          user.create(item).commit(),
          ...UNIQUE_KINDS.map((kind) => unique.create({ kind, value: values[kind], userId: sub }).commit()),
          activation
            .create({
              codeHash: activationHash,
              userId: sub,
              expiresAt: Math.floor(Date.now() / 1000) + Config.activationTtlSeconds,
            })
            .commit(),
        ])
        .go(),
    );
    if (result.canceled) {
      const failed = result.data.findIndex((d) => d.code === "ConditionalCheckFailed");
      const kind = UNIQUE_KINDS[failed - 1];
      throw kind ? conflict(kind) : new AppError("CONFLICT", "This user already exists");
    }
    const { data: stored } = await db().entities.user.get({ id: sub }).go({ consistent: true });
    if (!stored) throw new Error("registered user not readable after commit");
    return { ...toInfo(stored), activationCode };
  } catch (e) {
    // By `sub`, the pool's real username: never another user that shares the address.
    await Cognito.deleteUser(sub);
    throw e;
  }
};

/**
 * AdminCreateUser, mapping "username exists" to a 409 on the email — unless the pool's user is an
 * orphan: no email guard in the table, and either a deletion of it is pending or it is older than
 * a running registration could be. An orphan is removed so that the address can register again.
 */
const createCognitoUser = async (email: string, password: string, values: Record<UniqueKind, string>) => {
  try {
    return await Cognito.createUser(email, password);
  } catch (e) {
    if ((e as Error).name !== "UsernameExistsException") throw e;
    const existing = await Cognito.findUser(email);
    const guarded = (await db().entities.unique.get({ kind: "email", value: values.email }).go({ consistent: true })).data;
    if (!existing?.sub || guarded) throw conflict("email");
    if (await pendingDeletionOf(email, existing.sub)) {
      await remove(existing.sub); // finishes that deletion: S3, Cognito, tombstone
    } else if (existing.createdAt !== undefined && Date.now() - existing.createdAt.getTime() > ORPHAN_AGE_MS) {
      await Cognito.deleteUser(existing.sub);
    } else {
      throw conflict("email");
    }
    return Cognito.createUser(email, password);
  }
};
