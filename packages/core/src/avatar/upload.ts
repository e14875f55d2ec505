import { presignedUpload } from "../adapters/s3.ts";
import { uploadPrefix } from "../assets/index.ts";
import { newCode } from "../codes.ts";
import { get } from "../user/record.ts";
import { AVATAR_MAX_BYTES, AVATAR_TYPES, type AvatarType } from "./rules.ts";

/** How long the presigned POST may be used. */
const UPLOAD_TTL_SECONDS = 600;

export type UploadTicket = {
  /** POST a multipart form here: every entry of `fields`, then the file as the field `file`, last. */
  url: string;
  fields: Record<string, string>;
  key: string;
  maxBytes: number;
  expiresAt: string;
};

/**
 * A presigned S3 POST for a new avatar of the user: a fresh key under the user's PRIVATE upload
 * prefix (nobody else can read it; the bucket expires it if never confirmed), the declared
 * Content-Type and the size range written into the signed policy (S3 enforces it; an emulator may
 * not, so `confirm` checks the stored bytes again). The form can write nothing public: `confirm`
 * publishes a checked copy.
 */
export const requestUpload = async (userId: string, contentType: AvatarType): Promise<UploadTicket> => {
  await get(userId);
  const key = `${uploadPrefix(userId)}${newCode()}.${AVATAR_TYPES[contentType]}`;
  const { url, fields } = await presignedUpload(key, contentType, AVATAR_MAX_BYTES, UPLOAD_TTL_SECONDS);
  return {
    url,
    fields,
    key,
    maxBytes: AVATAR_MAX_BYTES,
    expiresAt: new Date(Date.now() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
  };
};
