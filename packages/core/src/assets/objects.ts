import { DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3 } from "../aws.ts";
import { Config } from "../config.ts";
import { UPLOADS_PREFIX, userPrefixes } from "./prefixes.ts";

/**
 * The bucket answers (readiness): a listing of no keys under a prefix the service lists anyway.
 * Not HeadBucket: it needs `s3:ListBucket` on the whole bucket, which the functions are not granted
 * (they may list only their prefixes; infra/permissions.ts).
 */
export const bucketReachable = async (): Promise<void> => {
  await s3().send(new ListObjectsV2Command({ Bucket: Config.bucketName, Prefix: UPLOADS_PREFIX, MaxKeys: 0 }));
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
