import { fileTypeFromBuffer } from "file-type";
import { deleteObject, putObject, readObject, type StoredObject } from "../adapters/s3.ts";
import { avatarPrefix, legacyUserPrefix, storedAvatarKey, uploadPrefix } from "../assets/index.ts";
import { AppError } from "../errors.ts";
import { type Audit, SYSTEM } from "../events/event.ts";
import { toInfo } from "../user/info.ts";
import { find, get, updateIf, type UserItem } from "../user/record.ts";
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
 * form afterwards changes nothing anyone sees. The key replaces the old one, with the
 * `user.avatar_changed` event, in one transaction on condition that the avatar is still the one
 * read (so exactly that one is cleaned up after; a confirm that lost a race reads again); the
 * upload and the old avatar are deleted. Confirming the current avatar again is a no-op.
 *
 * A crash between publishing and the write leaves an unreferenced object under the user's
 * avatar prefix; the user's hard delete removes it.
 */
export const confirm = async (userId: string, uploadKey: string, audit: Audit = SYSTEM): Promise<Info> => {
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

  const record = { audit, events: [{ type: "user.avatar_changed", data: { avatarKey: key } }] } as const;
  let previous: UserItem = user;
  for (let attempt = 1; ; attempt++) {
    const expected = { avatarKey: previous.avatarKey ?? "" };
    if (await updateIf(userId, expected, { set: { avatarKey: key }, remove: ["avatarUrl"] }, { record })) break;
    const now = await find(userId, { consistent: true });
    if (!now) {
      // The user is gone: what this call wrote goes too.
      await Promise.all([deleteObject(key), deleteObject(uploadKey)]);
      throw new AppError("NOT_FOUND", "User not found");
    }
    if (attempt >= 5) throw new AppError("CONFLICT", "The avatar changed meanwhile; retry", { retryAfterSeconds: 1 });
    previous = now;
  }
  await deleteObject(uploadKey);
  const oldKey = storedAvatarKey(previous);
  if (oldKey && oldKey !== key && isOwnAvatar(oldKey, userId)) await deleteObject(oldKey);
  return toInfo(await get(userId, { consistent: true }));
};
