import type { z } from "zod";
import * as Cognito from "../auth/cognito.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { revokeSessions } from "../session/revoke.ts";
import { toInfo } from "../user/mapper.ts";
import type { Info, Role } from "../user/schema.ts";
import { findById, getById } from "../user/store.ts";

type RoleName = z.infer<typeof Role>;

/** Best effort: a compensation that fails leaves the error that caused it as the one reported. */
const quietly = async (step: () => Promise<unknown>) => {
  try {
    await step();
  } catch {
    // the original failure is what the caller hears about
  }
};

/**
 * Changes the role, keeping the Cognito group (what `cognito:groups` in new tokens says) and the
 * stored role in step: 1. add the new group, 2. write the role on condition it is still the one
 * read, 3. remove the old group. A failure at 2 removes the new group again; a failure at 3 puts
 * the old role back. Tokens issued before carry the old groups, so a change ends the user's
 * sessions; setting the role the user already has changes nothing.
 */
export const setRole = async (id: string, role: RoleName): Promise<Info> => {
  const user = await getById(id, { consistent: true });
  const previous = user.role;
  if (previous === role) return toInfo(user);

  await Cognito.addToGroup(id, role);
  try {
    await db()
      .entities.user.patch({ id })
      .set({ role })
      .where((u, { eq }) => eq(u.role, previous))
      .go();
  } catch (e) {
    // A concurrent change to the same role still needs the group: leave it then.
    const now = await findById(id, { consistent: true });
    if (now?.role !== role) await quietly(() => Cognito.removeFromGroup(id, role));
    if (isConditionFailure(e)) {
      if (!now) throw new AppError("NOT_FOUND", "User not found");
      throw new AppError("CONFLICT", "The user's role changed meanwhile; retry", { retryAfterSeconds: 1 });
    }
    throw e;
  }
  try {
    await Cognito.removeFromGroup(id, previous);
  } catch (e) {
    await quietly(() =>
      db().entities.user.patch({ id }).set({ role: previous }).where((u, { eq }) => eq(u.role, role)).go(),
    );
    await quietly(() => Cognito.removeFromGroup(id, role));
    throw e;
  }
  await revokeSessions(id);
  return toInfo(await getById(id, { consistent: true }));
};
