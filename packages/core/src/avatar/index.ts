/**
 * Avatars in two steps: a presigned upload form under a private key of the user, then a
 * confirmation that checks the stored file and publishes it as the avatar.
 */
export {
  AVATAR_MAX_BYTES,
  AVATAR_TYPES,
  AvatarContentType,
  AvatarKey,
  publishedKeyOf,
  type AvatarType,
} from "./rules.ts";
export { requestUpload, type UploadTicket } from "./upload.ts";
export { confirm } from "./confirm.ts";
