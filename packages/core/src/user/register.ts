import { refusedByService } from "../adapters/aws.ts";
import * as Cognito from "../adapters/cognito.ts";
import { hashCode, newCode } from "../codes.ts";
import { Config } from "../config.ts";
import { UNIQUE_KINDS, type UniqueKind } from "../dynamo/entities/unique.ts";
import { abandon, begin, cleanup, commitItem, finish, type Intent } from "../dynamo/intents.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { finishDeletion, pendingDeletionOf } from "./delete.ts";
import { handleFromName } from "./handle.ts";
import { create, created, find, type Outcome } from "./record.ts";
import type { Info, RegisterInput } from "./schema.ts";
import { settleRegistration } from "./settle.ts";

const conflict = (kind: UniqueKind) =>
  new AppError("CONFLICT", `A user with this ${kind} already exists`, { field: kind });

const taken = async (values: Record<UniqueKind, string>): Promise<UniqueKind | undefined> => {
  const { data } = await db()
    .entities.unique.get(UNIQUE_KINDS.map((kind) => ({ kind, value: values[kind] })))
    .go();
  return data.length > 0 ? UNIQUE_KINDS.find((k) => data.some((d) => d.kind === k)) : undefined;
};

/** True when the dependency answered (a 4xx, or our own verdict): nothing happened that we do not know of. */
const answered = (e: unknown): boolean => e instanceof AppError || refusedByService(e);

/**
 * Registration, a saga over two stores that a crash at any point cannot leave half-done:
 * 1. record the intent (keyed by e-mail) — from here the reconciler knows of this attempt;
 * 2. create the Cognito user and put it in the USER group;
 * 3. ONE transaction writes the profile, its three guard items and the activation code, and removes
 *    the intent (on condition that it is still this attempt's and pending).
 * A failure before step 3 undoes step 2 (delete the Cognito user by `sub`) and removes the intent.
 * Any failure of step 3 — refused, or ambiguous (a timeout or dropped connection, after which the
 * write may have landed) — is decided by giving the intent up and reading (`decide`), never by
 * guessing. Whatever a crash or
 * an outage leaves is an intent the reconciler rolls back (user/settle.ts, run by reconcile/index.ts).
 */
export const register = async (
  input: RegisterInput,
  audit: Audit = SYSTEM,
): Promise<Info & { activationCode: string }> => {
  const handle = handleFromName(input.name);
  const values = { name: input.name.toLowerCase(), email: input.email, handle: handle.toLowerCase() };
  const early = await taken(values);
  if (early) throw conflict(early);

  const intent = await begin("register", input.email, settleRegistration);
  let sub: string | undefined;
  try {
    sub = (await createCognitoUser(input.email, input.password, values)).sub;
    await Cognito.addToGroup(sub, "USER");
  } catch (e) {
    // Without a `sub`, only an answer from Cognito proves no user was created; otherwise the
    // intent stays, and the reconciler looks the address up once the call can no longer land.
    const known = sub;
    if (known || answered(e)) await cleanup(() => rollBack(intent, known));
    throw e;
  }

  const activationCode = newCode();
  const activationHash = hashCode(activationCode);
  const item = {
    id: sub,
    name: input.name,
    handle,
    email: input.email,
    sourceSystem: input.sourceSystem,
    sourceIp: audit.sourceIp,
    lang: input.lang,
    currency: input.currency,
    badges: ["NEW_MEMBER"],
    activationHash,
    createdAt: new Date().toISOString(),
  };
  // The user exactly as the transaction stores it (defaults applied), to answer with.
  const registered = { ...created(item), activationCode };
  const userId = sub;
  let result: Outcome;
  try {
    // The profile, its three guards, its activation code, the end of the intent and the event: together or not at all.
    const event = { email: input.email, name: input.name, handle, sourceSystem: input.sourceSystem };
    result = await create(
      item,
      (tx) => [
        ...UNIQUE_KINDS.map((kind) => tx.unique.create({ kind, value: values[kind], userId }).commit()),
        tx.activation
          .create({
            codeHash: activationHash,
            userId,
            expiresAt: Math.floor(Date.now() / 1000) + Config.activationTtlSeconds,
          })
          .commit(),
        commitItem(tx.intent, intent),
      ],
      { audit, events: [{ type: "user.registered", data: event }] },
    );
  } catch (e) {
    if ((await decide(intent, userId)) === "committed") return registered;
    throw e;
  }
  if (result.canceled) {
    // Refused — or an SDK retry refused after the first try had landed: decided by reading too.
    const outcome = await decide(intent, userId);
    if (outcome === "committed") return registered;
    const failed = result.reasons.findIndex((d) => d.code === "ConditionalCheckFailed");
    if (failed === result.reasons.length - 1 || outcome === "unknown")
      // The intent was settled under us (the attempt outlived any owner's budget): the settler removes the Cognito user.
      throw new AppError("SERVICE_UNAVAILABLE", "The registration could not complete and was undone; retry", {
        retryAfterSeconds: 1,
      });
    const kind = UNIQUE_KINDS[failed - 1];
    throw kind ? conflict(kind) : new AppError("CONFLICT", "This user already exists", {}, { cause: result.reasons });
  }
  return registered;
};

/** Undoes a registration that certainly did not commit: no commit after this, then the Cognito user, then the intent. */
const rollBack = async (intent: Intent, sub: string | undefined) => {
  if ((await abandon(intent)) === "gone") return;
  if (sub) {
    await Cognito.deleteUser(sub);
    await finish(intent);
  } else {
    await settleRegistration({ ...intent, state: "aborting" });
  }
};

/**
 * The commit did not answer "done": give the intent up, which either succeeds — then the commit
 * can never happen, and the Cognito user goes — or finds the intent gone, because the commit
 * removed it; the profile, read consistently, says so. Undecidable (DynamoDB still unreachable):
 * the intent stays for the reconciler.
 */
const decide = async (intent: Intent, sub: string): Promise<"committed" | "not committed" | "unknown"> => {
  let outcome: "committed" | "not committed" | "unknown" = "unknown";
  await cleanup(async () => {
    if ((await abandon(intent)) === "aborting") {
      outcome = "not committed";
      await Cognito.deleteUser(sub);
      await finish(intent);
    } else {
      outcome = (await find(sub, { consistent: true })) ? "committed" : "not committed";
    }
  });
  return outcome;
};

/**
 * AdminCreateUser, mapping "username exists" to a 409 on the email — unless the pool's user has no
 * profile: then, since this attempt holds the address's intent, no other registration owns it.
 * It is what a crash or an unfinished deletion left, and is removed so the address can register.
 */
const createCognitoUser = async (email: string, password: string, values: Record<UniqueKind, string>) => {
  const created = await Cognito.createUser(email, password);
  if (created !== "exists") return created;
  const existing = await Cognito.findUser(email);
  const guarded = (await db().entities.unique.get({ kind: "email", value: values.email }).go({ consistent: true }))
    .data;
  if (!existing?.sub || guarded) throw conflict("email");
  if (await pendingDeletionOf(email, existing.sub)) await finishDeletion(existing.sub);
  else await Cognito.deleteUser(existing.sub);
  const again = await Cognito.createUser(email, password);
  if (again === "exists") throw conflict("email");
  return again;
};
