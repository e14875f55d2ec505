import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { s3 } from "../aws.ts";
import { Config } from "../config.ts";

const NOT_FOUND = new Set(["NotFound", "NoSuchKey"]);

/** Size and stored Content-Type of an object, or null when there is none at `key`. */
export const headObject = async (key: string): Promise<{ size: number; contentType?: string } | null> => {
  try {
    const head = await s3().send(new HeadObjectCommand({ Bucket: Config.bucketName, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType };
  } catch (e) {
    if (NOT_FOUND.has((e as Error).name)) return null;
    throw e;
  }
};

/** The first `bytes` bytes of an object: enough to read a file signature. */
export const readHead = async (key: string, bytes: number): Promise<Uint8Array> => {
  const res = await s3().send(new GetObjectCommand({ Bucket: Config.bucketName, Key: key, Range: `bytes=0-${bytes - 1}` }));
  return (await res.Body?.transformToByteArray()) ?? new Uint8Array();
};

export const deleteObject = async (key: string): Promise<void> => {
  await s3().send(new DeleteObjectCommand({ Bucket: Config.bucketName, Key: key }));
};
