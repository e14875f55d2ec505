import { DeleteObjectsCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3 } from "../aws.ts";
import { Config } from "../config.ts";

/** Key prefix of everything the service stores for one user (avatars today). */
export const userPrefix = (userId: string) => `users/${userId}/`;

/** HeadBucket: the bucket answers (readiness). */
export const bucketReachable = async (): Promise<void> => {
  await s3().send(new HeadBucketCommand({ Bucket: Config.bucketName }));
};

/** Deletes every object under the user's prefix; deleting nothing is fine. */
export const deleteUserObjects = async (userId: string): Promise<void> => {
  const Bucket = Config.bucketName;
  let ContinuationToken: string | undefined;
  do {
    const page = await s3().send(new ListObjectsV2Command({ Bucket, Prefix: userPrefix(userId), ContinuationToken }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
};
