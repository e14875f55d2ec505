export { AVATAR_MAX_BYTES, AVATAR_TYPES, AvatarContentType, AvatarKey, type AvatarType } from "./rules.ts";
export { requestUpload, type UploadTicket } from "./upload.ts";
export { confirm } from "./confirm.ts";
