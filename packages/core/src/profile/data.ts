import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "../user/mapper.ts";
import type { Info } from "../user/schema.ts";
import type { ProfileDataInput } from "./schema.ts";

/** Sets `lang` and/or `currency`: one conditional UpdateItem. */
export const updateProfileData = async (id: string, input: ProfileDataInput): Promise<Info> => {
  const changes: { lang?: string; currency?: string } = {};
  if (input.lang !== undefined) changes.lang = input.lang;
  if (input.currency !== undefined) changes.currency = input.currency;
  try {
    const { data } = await db()
      .entities.user.patch({ id })
      .set(changes)
      .go({ response: "all_new" });
    return toInfo(data as UserItem);
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "User not found");
    throw e;
  }
};
