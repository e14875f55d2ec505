import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type GetObjectCommandOutput,
  S3Client,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { Config } from "../config.ts";
import { clientOptions, once } from "./aws.ts";

export const s3 = once(() => new S3Client({ ...clientOptions(), forcePathStyle: true }));

/**
 * The assets bucket, as the domain uses it. S3's error names are known here and nowhere else: an
 * absent object is `null`; any other error (throttling, an outage) goes up unchanged.
 */
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
    if (e instanceof Error && NOT_FOUND.has(e.name)) return null;
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
    new PutObjectCommand({
      Bucket: Config.bucketName,
      Key: key,
      Body: bytes,
      ContentType: contentType,
      CacheControl: IMMUTABLE,
    }),
  );
};

export const deleteObject = async (key: string): Promise<void> => {
  await s3().send(new DeleteObjectCommand({ Bucket: Config.bucketName, Key: key }));
};

/**
 * The bucket answers (readiness): a listing of no keys under `prefix`, one the service lists anyway.
 * Not HeadBucket: it needs `s3:ListBucket` on the whole bucket, which the functions are not granted
 * (they may list only their prefixes; infra/permissions.ts).
 */
export const listNothingUnder = async (prefix: string): Promise<void> => {
  await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix: prefix, MaxKeys: 0 }));
};

/** Deletes every object under each prefix, a listed page at a time; deleting nothing is fine. */
export const deleteUnder = async (prefixes: readonly string[]): Promise<void> => {
  const Bucket = Config.bucketName;
  for (const Prefix of prefixes) {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3().send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0)
        await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
};

/**
 * A presigned POST for one key: the form may write exactly `key`, of `contentType`, of 1 to
 * `maxBytes` bytes, for `expiresInSeconds` (signed locally: no request is sent).
 */
export const presignedUpload = (
  key: string,
  contentType: string,
  maxBytes: number,
  expiresInSeconds: number,
): Promise<{ url: string; fields: Record<string, string> }> =>
  createPresignedPost(s3(), {
    Bucket: Config.bucketName,
    Key: key,
    Conditions: [
      ["content-length-range", 1, maxBytes],
      ["eq", "$Content-Type", contentType],
    ],
    Fields: { "Content-Type": contentType },
    Expires: expiresInSeconds,
  });
