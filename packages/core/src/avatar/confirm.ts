import { fileTypeFromBuffer } from "file-type";
import { deleteObject, putObject, readObject, type StoredObject } from "../adapters/s3.ts";
import { avatarPrefix, legacyUserPrefix, storedAvatarKey, uploadPrefix } from "../assets/index.ts";
import { AppError } from "../errors.ts";
import { toInfo } from "../user/info.ts";
import { get, replace, type UserItem } from "../user/record.ts";
import type { Info } from "../user/schema.ts";
import { AVATAR_MAX_BYTES, TYPE_NAMES, publishedKeyOf, typeOfKey, type AvatarType } from "./rules.ts";

/** Why the uploaded bytes are not an acceptable avatar of the declared type, or undefined when they are. */
const problemWith = async (declared: AvatarType, upload: StoredObject): Promise<string | undefined> => {
  if (upload.size === 0) return "The uploaded file is empty";
  if (upload.size > AVATAR_MAX_BYTES)
    return `The uploaded file is ${upload.size} bytes; the limit is ${AVATAR_MAX_BYTES} bytes`;
  if ((await fileTypeFromBuffer(upload.bytes))?.mime !== declared)
    return `The uploaded file is not ${TYPE_NAMES[declared]}`;
  if (upload.contentType !== declared)
    return `The upload was stored as ${upload.contentType ?? "no type"}, not ${declared}`;
  return undefined;
};

/** An avatar object this service published (or an older version stored) for the user. */
const isOwnAvatar = (key: string, userId: string) =>
  key.startsWith(avatarPrefix(userId)) || key.startsWith(legacyUserPrefix(userId));

/**
 * Makes an upload the user's avatar. The upload (under the user's private upload prefix) must be
 * at most AVATAR_MAX_BYTES, start with the signature of the declared image type and be stored with
 * that Content-Type; a bad file is deleted and refused with 400. The very bytes checked are then
 * written to the public key (`publishedKeyOf`), which no upload form can write, so re-using the
 * form afterwards changes nothing anyone sees. The key replaces the old one in one UpdateItem;
 * the upload and the old avatar are deleted. Confirming the current avatar again is a no-op.
 *
 * A crash between publishing and the UpdateItem leaves an unreferenced object under the user's
 * avatar prefix; the user's hard delete removes it.
 */
export const confirm = async (userId: string, uploadKey: string): Promise<Info> => {
  const declared = typeOfKey(uploadKey);
  if (!uploadKey.startsWith(uploadPrefix(userId)) || !declared)
    throw new AppError("BAD_REQUEST", "This key is not an avatar upload of this user");
  const user = await get(userId, { consistent: true });
  const key = publishedKeyOf(uploadKey, userId);
  if (storedAvatarKey(user) === key) return toInfo(user);

  const upload = await readObject(uploadKey, AVATAR_MAX_BYTES + 1);
  if (!upload) throw new AppError("NOT_FOUND", "Nothing was uploaded at this key (or the upload was already rejected)");
  const problem = await problemWith(declared, upload);
  if (problem) {
    await deleteObject(uploadKey);
    throw new AppError("BAD_REQUEST", problem);
  }
  await putObject(key, upload.bytes, declared);

  let previous: UserItem;
  try {
    previous = await replace(userId, { set: { avatarKey: key }, remove: ["avatarUrl"] });
  } catch (e) {
    // The user is gone: what this call wrote goes too.
    if (e instanceof AppError && e.code === "NOT_FOUND")
      await Promise.all([deleteObject(key), deleteObject(uploadKey)]);
    throw e;
  }
  await deleteObject(uploadKey);
  const oldKey = storedAvatarKey(previous);
  if (oldKey && oldKey !== key && isOwnAvatar(oldKey, userId)) await deleteObject(oldKey);
  return toInfo(await get(userId, { consistent: true }));
};
