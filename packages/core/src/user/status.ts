import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "./mapper.ts";
import { revocationTime } from "./sessions.ts";
import type { Info, Status } from "./schema.ts";
import type { z } from "zod";

/**
 * Sets the status. The profile is the source of truth: a SUSPENDED user cannot log in and every
 * token issued before stops working at our routes, because each request checks this record.
 */
export const setStatus = async (id: string, status: z.infer<typeof Status>): Promise<Info> => {
  try {
    const update = db().entities.user.patch({ id }).set({ status });
    // Suspension also ends every session: tokens issued before now stay refused after reinstatement.
    if (status === "SUSPENDED") update.set({ tokensValidAfter: revocationTime() });
    const { data } = await update.go({ response: "all_new" });
    return toInfo(data as UserItem);
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "User not found");
    throw e;
  }
};
