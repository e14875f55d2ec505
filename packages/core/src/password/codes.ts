import { createHash } from "node:crypto";
import { db } from "../dynamo/service.ts";

/** An address as the reset pointer is keyed: a hash, so the table keeps no list of addresses. */
export const emailHash = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("base64url");

/** Ends the address's pending reset: its code, whatever it is, is refused from now on. */
export const removePendingReset = async (email: string): Promise<void> => {
  await db().entities.resetPointer.delete({ emailHash: emailHash(email) }).go();
};
