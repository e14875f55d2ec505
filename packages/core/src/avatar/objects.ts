import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type GetObjectCommandOutput } from "@aws-sdk/client-s3";
import { s3 } from "../aws.ts";
import { Config } from "../config.ts";

const NOT_FOUND = new Set(["NotFound", "NoSuchKey"]);

export type StoredObject = { bytes: Uint8Array; size: number; contentType?: string };

/**
 * At most the first `limit` bytes of an object, with its whole size and stored Content-Type, or
 * null when there is none at `key`. One GetObject, read no further than `limit`: what is checked
 * is exactly what was read. (No Range header: s3rver answers a range on an empty object with a
 * body shorter than its Content-Length, which aborts the request.)
 */
export const readObject = async (key: string, limit: number): Promise<StoredObject | null> => {
  let res: GetObjectCommandOutput;
  try {
    res = await s3().send(new GetObjectCommand({ Bucket: Config.bucketName, Key: key }));
  } catch (e) {
    if (NOT_FOUND.has((e as Error).name)) return null;
    throw e;
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  const reader = res.Body?.transformToWebStream().getReader();
  if (reader) {
    try {
      while (read < limit) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        read += value.length;
      }
    } finally {
      await reader.cancel(); // an oversized object is not downloaded further
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return { bytes, size: Math.max(res.ContentLength ?? 0, read), contentType: res.ContentType };
};

/** Keys are unique per avatar and never rewritten, so browsers and CDNs may keep them for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export const putObject = async (key: string, bytes: Uint8Array, contentType: string): Promise<void> => {
  await s3().send(
    new PutObjectCommand({ Bucket: Config.bucketName, Key: key, Body: bytes, ContentType: contentType, CacheControl: IMMUTABLE }),
  );
};

export const deleteObject = async (key: string): Promise<void> => {
  await s3().send(new DeleteObjectCommand({ Bucket: Config.bucketName, Key: key }));
};
