import { db } from "../dynamo/service.ts";

/**
 * Deletes the user's pending reset codes (except `keep`, a code hash). Found through the `byUser`
 * index, which is eventually consistent: a code written a moment ago may survive, and then
 * expires on its own.
 */
export const removeCodesOf = async (userId: string, keep?: string): Promise<void> => {
  const { data } = await db().entities.passwordReset.query.byUser({ userId }).go({ pages: "all" });
  const stale = data.filter((c) => c.codeHash !== keep).map(({ codeHash }) => ({ codeHash }));
  if (stale.length > 0) await db().entities.passwordReset.delete(stale).go();
};
