import { DeleteObjectsCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3 } from "../aws.ts";
import { Config } from "../config.ts";
import { userPrefixes } from "./prefixes.ts";

/** HeadBucket: the bucket answers (readiness). */
export const bucketReachable = async (): Promise<void> => {
  await s3().send(new HeadBucketCommand({ Bucket: Config.bucketName }));
};

/** Deletes every object of the user (pending uploads, avatars, and the pre-layout prefix); deleting nothing is fine. */
export const deleteUserObjects = async (userId: string): Promise<void> => {
  const Bucket = Config.bucketName;
  for (const Prefix of userPrefixes(userId)) {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3().send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0) await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
};
