import { db } from "../dynamo/service.ts";
import type { UniqueKind } from "../dynamo/entities/unique.ts";
import { AppError } from "../errors.ts";
import type { UserItem } from "./mapper.ts";

/** One GetItem; `consistent` for a read that must see the caller's own write. */
export const findById = async (id: string, opts: { consistent?: boolean } = {}): Promise<UserItem | null> => {
  const { data } = await db().entities.user.get({ id }).go({ consistent: opts.consistent ?? false });
  return data;
};

export const getById = async (id: string, opts: { consistent?: boolean } = {}): Promise<UserItem> => {
  const user = await findById(id, opts);
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  return user;
};

/** Lookup through a guard item: two GetItems (guard → user), never a Scan. */
export const getByUnique = async (kind: UniqueKind, value: string): Promise<UserItem> => {
  const { data: guard } = await db().entities.unique.get({ kind, value: value.toLowerCase() }).go();
  const user = guard ? await findById(guard.userId) : null;
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  return user;
};

/** A deletion that has not finished: its Cognito user may still exist. */
export const pendingDeletionOf = async (email: string, userId: string): Promise<boolean> => {
  const { data } = await db().entities.deletion.get({ userId }).go({ consistent: true });
  return data?.email === email;
};
