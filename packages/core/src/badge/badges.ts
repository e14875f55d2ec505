import { db } from "../dynamo/service.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "../user/mapper.ts";
import type { Info } from "../user/schema.ts";
import { isKnownBadge } from "./catalog.ts";

const known = (name: string) => {
  if (!isKnownBadge(name)) throw new AppError("NOT_FOUND", `No badge named ${name} in the catalog`);
};

const write = async (run: () => Promise<{ data: unknown }>): Promise<Info> => {
  try {
    return toInfo((await run()).data as UserItem);
  } catch (e) {
    if (isConditionFailure(e)) throw new AppError("NOT_FOUND", "User not found");
    throw e;
  }
};

/**
 * Badges are a DynamoDB string set: ADD and DELETE of one element are single atomic updates, so
 * issuing a badge the user has (or revoking one they lack) changes nothing, and concurrent issues
 * of different badges all land.
 */
export const issue = (userId: string, name: string): Promise<Info> => {
  known(name);
  return write(() => db().entities.user.patch({ id: userId }).add({ badges: [name] }).go({ response: "all_new" }));
};

export const revoke = (userId: string, name: string): Promise<Info> => {
  known(name);
  return write(() => db().entities.user.patch({ id: userId }).delete({ badges: [name] }).go({ response: "all_new" }));
};
