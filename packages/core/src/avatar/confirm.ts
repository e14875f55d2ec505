import { fileTypeFromBuffer } from "file-type";
import { assetUrl } from "../assets/url.ts";
import { Config } from "../config.ts";
import { isConditionFailure } from "../dynamo/errors.ts";
import { db } from "../dynamo/service.ts";
import { AppError } from "../errors.ts";
import { toInfo, type UserItem } from "../user/mapper.ts";
import type { Info } from "../user/schema.ts";
import { getById } from "../user/store.ts";
import { deleteObject, headObject, readHead } from "./objects.ts";
import { AVATAR_MAX_BYTES, TYPE_NAMES, avatarPrefix, typeOfKey } from "./rules.ts";

/** Bytes read to recognise the image format. */
const SIGNATURE_BYTES = 4100;

/** Why the stored object is not an acceptable avatar, or undefined when it is. */
const problemWith = async (key: string, size: number, storedType: string | undefined): Promise<string | undefined> => {
  if (size === 0) return "The uploaded file is empty";
  if (size > AVATAR_MAX_BYTES) return `The uploaded file is ${size} bytes; the limit is ${AVATAR_MAX_BYTES} bytes`;
  const declared = typeOfKey(key);
  const detected = (await fileTypeFromBuffer(await readHead(key, SIGNATURE_BYTES)))?.mime;
  if (!declared || detected !== declared) return `The uploaded file is not ${declared ? TYPE_NAMES[declared] : "a PNG, JPEG or WebP image"}`;
  if (storedType !== declared) return `The upload was stored as ${storedType ?? "no type"}, not ${declared}`;
  return undefined;
};

/** The key of an avatar URL this service set for the user, if it is one. */
const ownAvatarKey = (url: string, userId: string): string | undefined => {
  const base = `${Config.assetsBaseUrl}/`;
  if (!url.startsWith(base)) return undefined;
  const key = url.slice(base.length).split("/").map(decodeURIComponent).join("/");
  return key.startsWith(avatarPrefix(userId)) ? key : undefined;
};

/**
 * Makes an uploaded object the user's avatar: the stored object must exist under the user's
 * avatar prefix, be at most AVATAR_MAX_BYTES, and start with the signature of the declared
 * image type (and be stored with that Content-Type). A bad file is deleted and refused with 400.
 * The new URL replaces the old one in one UpdateItem, and the object it pointed to is deleted.
 */
export const confirm = async (userId: string, key: string): Promise<Info> => {
  if (!key.startsWith(avatarPrefix(userId))) throw new AppError("BAD_REQUEST", "This key is not an avatar upload of this user");
  const user = await getById(userId, { consistent: true });
  const url = assetUrl(key);
  if (user.avatarUrl === url) return toInfo(user);

  const head = await headObject(key);
  if (!head) throw new AppError("NOT_FOUND", "Nothing was uploaded at this key (or the upload was already rejected)");
  const problem = await problemWith(key, head.size, head.contentType);
  if (problem) {
    await deleteObject(key);
    throw new AppError("BAD_REQUEST", problem);
  }

  let previous: UserItem;
  try {
    const { data } = await db().entities.user.patch({ id: userId }).set({ avatarUrl: url }).go({ response: "all_old" });
    previous = data as UserItem;
  } catch (e) {
    if (isConditionFailure(e)) {
      await deleteObject(key);
      throw new AppError("NOT_FOUND", "User not found");
    }
    throw e;
  }
  const oldKey = ownAvatarKey(previous.avatarUrl, userId);
  if (oldKey && oldKey !== key) await deleteObject(oldKey);
  return toInfo(await getById(userId, { consistent: true }));
};
